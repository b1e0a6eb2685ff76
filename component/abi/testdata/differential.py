#!/usr/bin/env python3
# differential.py runs canonical ABI cases through the spec's own
# definitions.py (next to this file) for differential_test.go.
#
#   python3 differential.py cases.json > results.json
#
# cases.json is a JSON list of cases; the output is a JSON list with one
# result per case, in order. Types, values and memories are encoded as
# described in differential_test.go (which writes the cases and reads the
# results). Needs Python 3.10 or newer (definitions.py uses match).

import json
import os
import struct
import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in testdata
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import definitions  # noqa: E402
from definitions import *  # noqa: E402,F403

# The deterministic profile: lowering writes the canonical NaN, as the Go
# package always does.
definitions.DETERMINISTIC_PROFILE = True
sys.setrecursionlimit(20000)

PRIMS = {
    'bool': BoolType, 's8': S8Type, 'u8': U8Type, 's16': S16Type, 'u16': U16Type,
    's32': S32Type, 'u32': U32Type, 's64': S64Type, 'u64': U64Type,
    'f32': F32Type, 'f64': F64Type, 'char': CharType, 'string': StringType,
}


class World:
    """One case's component instance, its resource types and borrow scopes."""

    def __init__(self, case):
        self.store = Store()
        self.inst = ComponentInstance(self.store)
        self.other = ComponentInstance(self.store)
        self.rts = {}
        for name, impl_self in case.get('resources', []):
            self.rts[name] = ResourceType(self.inst if impl_self else self.other)
        self.names = {id(rt): name for name, rt in self.rts.items()}
        for name, rep, own in case.get('handles', []):
            i = self.inst.handles.add(ResourceHandle(self.rts[name], rep, own))
            assert i >= 1
        self.subtask = Subtask()
        self.task = Task(None, None, self.inst, None, None)

    def table(self):
        out = []
        for i, h in enumerate(self.inst.handles.array):
            if h is None:
                continue
            out.append([i, self.names[id(h.rt)], h.rep, h.own, h.num_lends])
        return out


def mk_type(j, w):
    if isinstance(j, str):
        return PRIMS[j]()
    k = j[0]
    if k == 'list':
        return ListType(mk_type(j[1], w), j[2] if len(j) > 2 else None)
    if k == 'record':
        return RecordType([FieldType(l, mk_type(t, w)) for l, t in j[1]])
    if k == 'tuple':
        return TupleType([mk_type(t, w) for t in j[1]])
    if k == 'variant':
        return VariantType([CaseType(l, None if t is None else mk_type(t, w)) for l, t in j[1]])
    if k == 'enum':
        return EnumType(list(j[1]))
    if k == 'option':
        return OptionType(mk_type(j[1], w))
    if k == 'result':
        return ResultType(None if j[1] is None else mk_type(j[1], w),
                          None if j[2] is None else mk_type(j[2], w))
    if k == 'flags':
        return FlagsType(list(j[1]))
    if k == 'map':
        return MapType(mk_type(j[1], w), mk_type(j[2], w))
    if k == 'own':
        return OwnType(w.rts[j[1]])
    if k == 'borrow':
        return BorrowType(w.rts[j[1]])
    raise ValueError('unknown type %r' % (j,))


def f32_from_bits(b):
    return struct.unpack('<f', struct.pack('<I', b))[0]


def f64_from_bits(b):
    return struct.unpack('<d', struct.pack('<Q', b))[0]


def f32_bits(f):
    return struct.unpack('<I', struct.pack('<f', f))[0]


def f64_bits(f):
    return struct.unpack('<Q', struct.pack('<d', f))[0]


def to_py(t, v):
    """A JSON value (as the Go test encodes it) to definitions.py's value."""
    match despecialize(t):
        case BoolType():
            return bool(v)
        case F32Type():
            return f32_from_bits(v)
        case F64Type():
            return f64_from_bits(v)
        case CharType():
            return chr(v)
        case StringType():
            return (v[0], v[1], v[2])
        case PrimValType():
            return v
        case ListType(u):
            return [to_py(u, e) for e in v]
        case RecordType(fields):
            return {f.label: to_py(f.t, x) for f, x in zip(fields, v, strict=True)}
        case VariantType(cases):
            c = cases[v['case']]
            return {c.label: None if c.t is None else to_py(c.t, v['payload'])}
        case FlagsType(labels):
            return {l: bool(v >> i & 1) for i, l in enumerate(labels)}
        case OwnType() | BorrowType():
            return v
    raise ValueError('to_py %r' % (t,))


def from_py(t, v):
    """definitions.py's value to JSON, as the Go test encodes values."""
    match despecialize(t):
        case BoolType():
            return bool(v)
        case F32Type():
            return f32_bits(v)
        case F64Type():
            return f64_bits(v)
        case CharType():
            return ord(v)
        case StringType():
            return [v[0], v[1], v[2]]
        case PrimValType():
            return v
        case ListType(u):
            return [from_py(u, e) for e in v]
        case RecordType(fields):
            return [from_py(f.t, v[f.label]) for f in fields]
        case VariantType(cases):
            [(label, x)] = v.items()
            [i] = [i for i, c in enumerate(cases) if c.label == label]
            c = cases[i]
            return {'case': i, 'payload': None if c.t is None else from_py(c.t, x)}
        case FlagsType(labels):
            return sum(1 << i for i, l in enumerate(labels) if v[l])
        case OwnType() | BorrowType():
            return v
    raise ValueError('from_py %r' % (t,))


def flat_to_py(ts, vals):
    """Bit patterns to the core values CoreValueIter expects."""
    out = []
    for t, v in zip(ts, vals, strict=True):
        match t:
            case 'f32':
                out.append(f32_from_bits(v))
            case 'f64':
                out.append(f64_from_bits(v))
            case _:
                out.append(v)
    return out


def flat_from_py(ts, vals):
    out = []
    for t, v in zip(ts, vals, strict=True):
        match t:
            case 'f32':
                out.append(f32_bits(v))
            case 'f64':
                out.append(f64_bits(v))
            case _:
                out.append(v)
    return out


class Heap:
    """A bump allocator over the case's memory, the same as testHeap in
    differential_test.go: shrinking keeps the pointer; growing copies."""

    def __init__(self, mem, base, mode):
        self.mem = mem
        self.next = base
        self.mode = mode
        self.calls = []

    def realloc(self, args):
        old_ptr, old_size, align, new_size = args
        self.calls.append([old_ptr, old_size, align, new_size])
        if self.mode == 'misalign' and align > 1:
            return [align_to(self.next, align) + 1]
        if self.mode == 'oob':
            return [len(self.mem)]
        if old_ptr != 0 and new_size <= old_size:
            return [old_ptr]
        ret = align_to(self.next, align)
        if ret + new_size > len(self.mem):
            trap()
        self.next = ret + new_size
        n = min(old_size, new_size)
        self.mem[ret:ret + n] = self.mem[old_ptr:old_ptr + n]
        return [ret]


def run(case):
    w = World(case)
    addr = case.get('addr', 'i32')
    mem = bytearray.fromhex(case.get('mem', ''))
    heap = Heap(mem, case.get('heap', 0), case.get('realloc', 'ok'))
    opts = CanonicalOptions()
    opts.memory = MemInst(mem, addr)
    opts.string_encoding = case.get('enc', 'utf8')
    opts.realloc = heap.realloc
    op = case['op']
    scope = w.subtask if op in ('lift', 'load', 'lift_values') else w.task
    cx = LiftLowerContext(opts, w.inst, scope)
    out = {}

    def mem_result():
        out['mem'] = mem.hex()
        out['reallocs'] = heap.calls
        out['table'] = w.table()
        out['num_borrows'] = w.task.num_borrows

    def check_ptr(t, ptr):
        trap_if(ptr != align_to(ptr, alignment(t, addr)))
        trap_if(ptr + elem_size(t, addr) > len(mem))

    match op:
        case 'layout':
            t = mk_type(case['type'], w)
            out['size'] = [elem_size(t, 'i32'), elem_size(t, 'i64')]
            out['align'] = [alignment(t, 'i32'), alignment(t, 'i64')]
            out['flat'] = [flatten_type(t, mk_opts_addr('i32')), flatten_type(t, mk_opts_addr('i64'))]
            return out
        case 'flatten_func':
            o = mk_opts_addr(addr)
            o.async_ = case.get('async', False)
            o.callback = (lambda: None) if case.get('callback', False) else None
            ft = FuncType([mk_type(t, w) for t in case['params']],
                          [mk_type(t, w) for t in case['results']])
            ct = flatten_functype(o, ft, case['context'])
            out['params'] = ct.params
            out['results'] = ct.results
            return out
        case 'load':
            t = mk_type(case['type'], w)
            check_ptr(t, case['ptr'])
            out['value'] = from_py(t, load(cx, case['ptr'], t))
            mem_result()
        case 'store':
            t = mk_type(case['type'], w)
            check_ptr(t, case['ptr'])
            store(cx, to_py(t, case['value']), t, case['ptr'])
            mem_result()
        case 'lift':
            t = mk_type(case['type'], w)
            ts = flatten_type(t, opts)
            vi = CoreValueIter(flat_to_py(ts, case['flat']))
            out['value'] = from_py(t, lift_flat(cx, vi, t))
            assert vi.done()
            mem_result()
        case 'lower':
            t = mk_type(case['type'], w)
            vals = lower_flat(cx, to_py(t, case['value']), t)
            out['flat'] = flat_from_py(flatten_type(t, opts), vals)
            mem_result()
        case 'lift_values':
            ts = [mk_type(t, w) for t in case['types']]
            flat_ts = flatten_types(ts, opts)
            if len(flat_ts) > case['max_flat']:
                flat_ts = [addr]
            vi = CoreValueIter(flat_to_py(flat_ts, case['flat']))
            vs = lift_flat_values(cx, case['max_flat'], vi, ts)
            assert vi.done()
            out['values'] = [from_py(t, v) for t, v in zip(ts, vs, strict=True)]
            mem_result()
        case 'lower_values':
            ts = [mk_type(t, w) for t in case['types']]
            vs = [to_py(t, v) for t, v in zip(ts, case['values'], strict=True)]
            retptr = case.get('retptr')
            out_param = None if retptr is None else CoreValueIter([retptr])
            vals = lower_flat_values(cx, case['max_flat'], vs, ts, out_param)
            flat_ts = flatten_types(ts, opts)
            if len(flat_ts) > case['max_flat']:
                flat_ts = [addr] if retptr is None else []
            out['flat'] = flat_from_py(flat_ts, vals)
            mem_result()
        case _:
            raise ValueError('unknown op %r' % op)
    return out


def mk_opts_addr(addr):
    o = CanonicalOptions()
    o.memory = MemInst(bytearray(), addr)
    return o


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    results = []
    for case in cases:
        try:
            results.append(run(case))
        except Trap:
            results.append({'trap': True})
        except BaseException as e:  # an assertion: a bad case, not a trap
            results.append({'error': '%s: %s' % (type(e).__name__, e)})
    json.dump(results, sys.stdout)


if __name__ == '__main__':
    main()
