package card

import "image"

// PersonalBounds is the union of the template's personal text boxes on the
// canvas: the only pixels that differ between two renders of t. Everything
// outside it is the base image.
func (t *Template) PersonalBounds() image.Rectangle {
	var r image.Rectangle
	for _, tb := range t.personal {
		r = r.Union(tb.Box.rect().Intersect(t.base.Rect))
	}
	return r
}
