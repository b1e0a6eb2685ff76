package component

import "github.com/tetratelabs/wazero/api"

// Core function handles are pooled: wazero builds a call engine (with its
// own stack) for every ExportedFunction, which costs more than a
// cross-component call itself, and a handle must not be re-entered while a
// call on it is under way (a component can call back into itself through
// the host), so each call takes a free handle and gives it back. Call
// sites resolve their pool once, when the canon definition is built.

// corePool is the idle handles of one core function.
type corePool struct {
	item CoreItem
	free []api.Function
}

// pool returns the handle pool of item.
func (r *Runtime) pool(item CoreItem) *corePool {
	if r.pools == nil {
		r.pools = map[CoreItem]*corePool{}
	}
	p := r.pools[item]
	if p == nil {
		p = &corePool{item: item}
		r.pools[item] = p
	}
	return p
}

// acquire returns a free handle of p, making one if none is idle.
func (r *Runtime) acquire(p *corePool) (api.Function, error) {
	if n := len(p.free); n > 0 {
		f := p.free[n-1]
		p.free = p.free[:n-1]
		return f, nil
	}
	return r.function(p.item)
}
