package instrument

import (
	"encoding/binary"
	"fmt"
	"sort"
	"strings"

	"wdbg/internal/wasmbin"
)

// assemble builds the output module from the rewritten bodies: it adds the
// probe imports, renumbers functions and globals everywhere, replaces the
// DWARF, encodes, and builds the offset map from the encoded layout.
func (rw *rewriter) assemble() (*Result, error) {
	src := rw.src
	out := *src // shallow copy; every slice we change is replaced, not mutated

	// The probe interface, imported after the original imports so that
	// original imported functions and globals keep their indices.
	var imports []wasmbin.Import
	funcIdx := map[uint32]uint32{} // placeholder -> import index
	next := rw.nImpFuncs
	addFunc := func(ph uint32, name string, t wasmbin.FuncType) {
		imports = append(imports, wasmbin.Import{Module: HostModule, Name: name, Kind: wasmbin.FuncKind, Func: rw.typeOf(t)})
		funcIdx[ph] = next
		next++
	}
	for _, n := range sortedKeys(rw.probeTypes) {
		t := wasmbin.FuncType{Params: probeParams(n)}
		addFunc(phProbe+uint32(n), fmt.Sprintf("probe%d", n), t)
		addFunc(phTrap+uint32(n), fmt.Sprintf("trap%d", n), t)
		rw.res.ProbeArities = append(rw.res.ProbeArities, n)
	}
	for _, n := range sortedKeys(rw.enterTypes) {
		addFunc(phEnter+uint32(n), fmt.Sprintf("enter%d", n), wasmbin.FuncType{Params: probeParams(n)})
		rw.res.EnterArities = append(rw.res.EnterArities, n)
	}
	addFunc(phLeave, "leave", wasmbin.FuncType{})
	rw.res.FuncShift = next - rw.nImpFuncs

	for _, g := range []struct {
		name string
		t    wasmbin.ValType
	}{{"arm", wasmbin.I64}, {"calls", wasmbin.I64}, {"depth", wasmbin.I32}} {
		imports = append(imports, wasmbin.Import{Module: StateModule, Name: g.name, Kind: wasmbin.GlobalKind,
			Global: wasmbin.GlobalType{Type: g.t, Mutable: true}})
	}
	out.Imports = append(append([]wasmbin.Import(nil), src.Imports...), imports...)
	out.Types = rw.types

	fn := func(f uint32) uint32 { return rw.res.InstrFunc(f) }
	gl := func(g uint32) uint32 { return rw.res.InstrGlobal(g) }
	// Bodies, with their function indices patched.
	out.Code = make([]wasmbin.Code, len(rw.bodies))
	for i := range rw.bodies {
		b := &rw.bodies[i]
		for _, p := range b.patches {
			if p.kind != patchFunc {
				continue
			}
			f := fn(p.v &^ definedFlag)
			if p.v&phMask >= phProbe {
				f = funcIdx[p.v]
			}
			wasmbin.PutPadded(b.body[p.at:], f)
		}
		out.Code[i] = wasmbin.Code{Locals: b.locals, Body: b.body}
	}

	// Everything outside the code that names a function or a global.
	renum := src.Renumbered(fn, gl)
	out.Exports, out.Start, out.Globals, out.Elems, out.Datas = renum.Exports, renum.Start, renum.Globals, renum.Elems, renum.Datas
	// Export every defined global, so the debugger can read and write them
	// through wazero's API whatever the module exports itself.
	for i := range src.Globals {
		g := rw.nImpGlobs + uint32(i)
		out.Exports = append(out.Exports, wasmbin.Export{Name: GlobalExport(g), Kind: wasmbin.GlobalKind, Index: gl(g)})
	}
	names := wasmbin.Names{}
	if renum.Names != nil {
		names = *renum.Names
	}
	names.Module = rw.cfg.ModuleName
	out.Names = &names
	// DWARF: drop the original (stale here), add the synthetic unit.
	var customs []wasmbin.Custom
	for _, c := range src.Customs {
		if !strings.HasPrefix(c.Name, ".debug_") && c.Name != "sourceMappingURL" && c.Name != "external_debug_info" {
			customs = append(customs, c)
		}
	}
	out.Customs = customs

	// The DWARF covering the code goes after the last section (data, or
	// where data would be), and the offset map comes from the code layout.
	starts, codeSize := wasmbin.CodeLayout(out.Code)
	for _, c := range syntheticDWARF(max(codeSize, 2)) {
		c.After = wasmbin.SectionData
		out.Customs = append(out.Customs, c)
	}
	rw.res.Bytes = out.Encode()
	n := 0
	for i := range rw.bodies {
		n += len(rw.bodies[i].marks)
	}
	rw.res.Map.instr = make([]InstrOffset, 0, n)
	rw.res.Map.orig = make([]wasmbin.CodeOffset, 0, n)
	for i := range rw.bodies {
		base := uint32(starts[i])
		// Marks increase within a body, and bodies follow one another, so
		// the map comes out sorted.
		for _, m := range rw.bodies[i].marks {
			rw.res.Map.instr = append(rw.res.Map.instr, InstrOffset(base+m.at))
			rw.res.Map.orig = append(rw.res.Map.orig, m.orig)
		}
	}
	return &rw.res, nil
}

// GlobalExport is the export name of original global g in the rewritten
// module.
func GlobalExport(g uint32) string { return fmt.Sprintf("wdbg.global%d", g) }

func probeParams(n int) []wasmbin.ValType {
	ps := make([]wasmbin.ValType, n+1)
	ps[0] = wasmbin.I32
	for i := 1; i <= n; i++ {
		ps[i] = wasmbin.I64
	}
	return ps
}

func sortedKeys(m map[int]bool) []int {
	ks := make([]int, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Ints(ks)
	return ks
}

// syntheticDWARF returns a minimal DWARF 4 compile unit whose line program
// has one sequence covering [1, codeSize). wazero keeps pc-to-offset maps
// (for its stack walk and trap traces) only for modules with DWARF; the line
// numbers themselves are never used.
func syntheticDWARF(codeSize uint32) []wasmbin.Custom {
	const (
		tagCompileUnit = 0x11
		atName         = 0x03
		atStmtList     = 0x10
		atLowPC        = 0x11
		atHighPC       = 0x12
		formAddr       = 0x01
		formData4      = 0x06
		formString     = 0x08
		formSecOffset  = 0x17
	)
	abbrev := []byte{
		1, tagCompileUnit, 0, // code 1, no children
		atName, formString,
		atStmtList, formSecOffset,
		atLowPC, formAddr,
		atHighPC, formData4,
		0, 0,
		0,
	}
	var die []byte
	die = append(die, 1)
	die = append(die, "wdbg\x00"...)
	// The range starts at 1: wazero treats address 0 as a linker tombstone,
	// and no instruction is at 0 (the function count comes first).
	die = binary.LittleEndian.AppendUint32(die, 0)          // stmt_list
	die = binary.LittleEndian.AppendUint32(die, 1)          // low_pc
	die = binary.LittleEndian.AppendUint32(die, codeSize-1) // high_pc (length)
	var info []byte
	hdr := []byte{4, 0, 0, 0, 0, 0, 4} // version 4, abbrev offset 0, address size 4
	info = binary.LittleEndian.AppendUint32(info, uint32(len(hdr)+len(die)))
	info = append(info, hdr...)
	info = append(info, die...)

	// Line program: header with one file, then set_address 0, copy,
	// advance_pc codeSize, end_sequence.
	var hdrBody []byte
	hdrBody = append(hdrBody, 1, 1, 1, 0xfb, 14, 13)              // min_inst_len, max_ops_per_inst, default_is_stmt, line_base, line_range, opcode_base
	hdrBody = append(hdrBody, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1) // standard_opcode_lengths
	hdrBody = append(hdrBody, 0)                                  // no include dirs
	hdrBody = append(hdrBody, "wdbg\x00"...)
	hdrBody = append(hdrBody, 0, 0, 0) // dir, mtime, length
	hdrBody = append(hdrBody, 0)       // end of files
	var prog []byte
	prog = append(prog, 0, 5, 2) // DW_LNE_set_address, len 5
	prog = binary.LittleEndian.AppendUint32(prog, 1)
	prog = append(prog, 1) // DW_LNS_copy
	prog = append(prog, 2) // DW_LNS_advance_pc
	prog = appendULEB(prog, uint64(codeSize-1))
	prog = append(prog, 0, 1, 1) // DW_LNE_end_sequence
	var line []byte
	rest := []byte{4, 0} // version 4
	rest = binary.LittleEndian.AppendUint32(rest, uint32(len(hdrBody)))
	rest = append(rest, hdrBody...)
	rest = append(rest, prog...)
	line = binary.LittleEndian.AppendUint32(line, uint32(len(rest)))
	line = append(line, rest...)
	return []wasmbin.Custom{
		{Name: ".debug_abbrev", Data: abbrev},
		{Name: ".debug_info", Data: info},
		{Name: ".debug_line", Data: line},
	}
}

func appendULEB(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}
