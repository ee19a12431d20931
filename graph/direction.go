package graph

// Validate refuses a direction other than backward, forward or both (EMALFORMED, naming the
// field "direction"), so that a trace never runs an empty statement or answers an empty reach
// for a direction it does not know.
func (d Direction) Validate() error {
	switch d {
	case Backward, Forward, Both:
		return nil
	}
	return &Error{Code: EMALFORMED, Message: "invalid direction",
		Fields: []FieldError{{Field: "direction", Message: "must be backward, forward or both"}}}
}
