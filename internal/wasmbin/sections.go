package wasmbin

// Decoders for the contents of each non-custom section. Each reads from a
// reader limited to the section payload; the caller checks that the whole
// payload was consumed.

// readVec reads a vector whose elements take at least minSize bytes each.
func readVec[T any](r *reader, minSize int, elem func(*reader) (T, error)) ([]T, error) {
	n, err := r.count(minSize)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		// nil, not empty: an absent section and an empty one decode the
		// same, so Decode(m.Encode()) equals m.
		return nil, nil
	}
	out := make([]T, n)
	for i := range out {
		if out[i], err = elem(r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func readIndices(r *reader) ([]uint32, error) { return readVec(r, 1, (*reader).u32) }

func readTypes(r *reader) ([]FuncType, error) {
	return readVec(r, 1, func(r *reader) (FuncType, error) {
		start := r.pos
		form, err := r.byte()
		if err != nil {
			return FuncType{}, err
		}
		switch form {
		case 0x60:
		case 0x4e, 0x4f, 0x50, 0x5e, 0x5f:
			kind := map[byte]string{0x4e: "rec", 0x4f: "sub final", 0x50: "sub", 0x5e: "array", 0x5f: "struct"}[form]
			return FuncType{}, r.errorf(start, "type form 0x%02x (%s): %w", form, kind, errGCType)
		default:
			return FuncType{}, r.errorf(start, "invalid type form 0x%02x (want 0x60 func)", form)
		}
		var ft FuncType
		if ft.Params, err = readVec(r, 1, (*reader).valType); err != nil {
			return FuncType{}, err
		}
		if ft.Results, err = readVec(r, 1, (*reader).valType); err != nil {
			return FuncType{}, err
		}
		return ft, nil
	})
}

func readImports(r *reader) ([]Import, error) {
	return readVec(r, 4, func(r *reader) (Import, error) {
		var imp Import
		var err error
		if imp.Module, err = r.name(); err != nil {
			return imp, err
		}
		if imp.Name, err = r.name(); err != nil {
			return imp, err
		}
		start := r.pos
		k, err := r.byte()
		if err != nil {
			return imp, err
		}
		imp.Kind = ExternKind(k)
		switch imp.Kind {
		case FuncKind:
			imp.Func, err = r.u32()
		case TableKind:
			imp.Table, err = r.tableType()
		case MemoryKind:
			var l Limits
			l, err = r.limits(true)
			imp.Mem = MemType{Limits: l}
		case GlobalKind:
			imp.Global, err = r.globalType()
		case TagKind:
			imp.Tag, err = r.tagType()
		default:
			err = r.errorf(start, "invalid import kind 0x%02x", k)
		}
		return imp, err
	})
}

func readGlobal(r *reader) (Global, error) {
	t, err := r.globalType()
	if err != nil {
		return Global{}, err
	}
	e, err := readConstExpr(r)
	return Global{Type: t, Init: e}, err
}

func readExport(r *reader) (Export, error) {
	var e Export
	var err error
	if e.Name, err = r.name(); err != nil {
		return e, err
	}
	start := r.pos
	k, err := r.byte()
	if err != nil {
		return e, err
	}
	if k > byte(TagKind) {
		return e, r.errorf(start, "invalid export kind 0x%02x", k)
	}
	e.Kind = ExternKind(k)
	e.Index, err = r.u32()
	return e, err
}

// readConstExpr reads a constant expression up to and including its end.
// Only the instructions the spec (with extended-const) allows are
// accepted, so a garbage byte run is not taken for an expression.
func readConstExpr(r *reader) (ConstExpr, error) {
	var e ConstExpr
	for {
		start := r.pos
		var in Instr
		if err := decodeInstr(r, &in); err != nil {
			return ConstExpr{}, err
		}
		switch in.Op {
		case OpEnd:
			return e, nil
		case OpI32Const, OpI64Const, OpF32Const, OpF64Const, OpV128Const,
			OpRefNull, OpRefFunc, OpGlobalGet,
			OpI32Add, OpI32Sub, OpI32Mul, OpI64Add, OpI64Sub, OpI64Mul:
			e.Instrs = append(e.Instrs, in)
		default:
			return ConstExpr{}, r.errorf(start, "%s is not allowed in a constant expression", in.Op)
		}
	}
}

// Element segment flags (https://webassembly.github.io/spec/core/binary/modules.html#element-section):
// bit 0: passive or declarative (else active); bit 1: with bit 0,
// declarative; without it, an explicit table index; bit 2: elements are
// expressions (else function indices) and the type is a reftype (else an
// elemkind byte).
func readElem(r *reader) (Elem, error) {
	start := r.pos
	flags, err := r.u32()
	if err != nil {
		return Elem{}, err
	}
	if flags > 7 {
		return Elem{}, r.errorf(start, "invalid element segment flags %d", flags)
	}
	e := Elem{Type: FuncRef}
	switch {
	case flags&1 == 0:
		e.Mode = ModeActive
		if flags&2 != 0 {
			if e.Table, err = r.u32(); err != nil {
				return Elem{}, err
			}
		}
		if e.Offset, err = readConstExpr(r); err != nil {
			return Elem{}, err
		}
	case flags&2 == 0:
		e.Mode = ModePassive
	default:
		e.Mode = ModeDeclarative
	}
	exprs := flags&4 != 0
	// Flags 0 and 4 imply funcref and have no type byte.
	if flags != 0 && flags != 4 {
		tpos := r.pos
		if exprs {
			if e.Type, err = r.valType(); err != nil {
				return Elem{}, err
			}
			if !e.Type.IsRef() {
				return Elem{}, r.errorf(tpos, "element type %s is not a reference type", e.Type)
			}
		} else {
			k, err := r.byte()
			if err != nil {
				return Elem{}, err
			}
			if k != 0 {
				return Elem{}, r.errorf(tpos, "invalid element kind 0x%02x (want 0x00 funcref)", k)
			}
		}
	}
	if exprs {
		e.Exprs, err = readVec(r, 1, readConstExpr)
		if e.Exprs == nil {
			e.Exprs = []ConstExpr{} // non-nil marks the expression form
		}
	} else {
		e.Funcs, err = readIndices(r)
	}
	return e, err
}

func readData(r *reader) (Data, error) {
	start := r.pos
	flags, err := r.u32()
	if err != nil {
		return Data{}, err
	}
	var d Data
	switch flags {
	case 0, 2:
		d.Mode = ModeActive
		if flags == 2 {
			if d.Mem, err = r.u32(); err != nil {
				return Data{}, err
			}
		}
		if d.Offset, err = readConstExpr(r); err != nil {
			return Data{}, err
		}
	case 1:
		d.Mode = ModePassive
	default:
		return Data{}, r.errorf(start, "invalid data segment flags %d", flags)
	}
	n, err := r.count(1)
	if err != nil {
		return Data{}, err
	}
	d.Init, err = r.bytes(n)
	return d, err
}

// readCode reads the code section. Offsets are relative to the payload
// start, which is where r is when called.
func readCode(r *reader) ([]Code, error) {
	base := r.pos
	return readVec(r, 1, func(r *reader) (Code, error) {
		sizePos := r.pos
		size, err := r.u32()
		if err != nil {
			return Code{}, err
		}
		if uint64(size) > uint64(r.remaining()) {
			return Code{}, r.errorf(sizePos, "function body size %d runs past the end of the section (%d bytes left): %w", size, r.remaining(), ErrTruncated)
		}
		end := r.pos + int(size)
		br := &reader{b: r.b[:end], pos: r.pos}
		c := Code{Start: CodeOffset(br.pos - base)}
		n, err := br.count(2)
		if err != nil {
			return Code{}, err
		}
		if n > 0 {
			c.Locals = make([]LocalDecl, n)
		}
		var total uint64
		for i := range c.Locals {
			cpos := br.pos
			if c.Locals[i].Count, err = br.u32(); err != nil {
				return Code{}, err
			}
			if c.Locals[i].Type, err = br.valType(); err != nil {
				return Code{}, err
			}
			total += uint64(c.Locals[i].Count)
			if total > maxLocals {
				return Code{}, br.errorf(cpos, "too many locals (more than %d)", maxLocals)
			}
		}
		c.BodyStart = CodeOffset(br.pos - base)
		c.End = CodeOffset(end - base)
		c.Body = r.b[br.pos:end:end]
		if len(c.Body) == 0 || c.Body[len(c.Body)-1] != byte(OpEnd) {
			return Code{}, r.errorf(sizePos, "function body does not finish with end")
		}
		r.pos = end
		return c, nil
	})
}
