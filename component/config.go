package component

import (
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// CoreFeatures are the WebAssembly features wdbg runs every module with,
// core module or component, debugged or not, so that what runs under
// `wdbg run` also runs under the debugger: WebAssembly 2.0 and the
// proposals toolchains emit that wazero implements, tail calls and
// extended constant expressions (the QuickJS engine that `jco componentize
// --backend qjs` embeds computes global initializers with i32.add).
const CoreFeatures = api.CoreFeaturesV2 | experimental.CoreFeaturesTailCall | experimental.CoreFeaturesExtendedConst

// RuntimeConfig returns the wazero configuration of every run: wazero's
// optimizing compiler, or its interpreter, with CoreFeatures.
func RuntimeConfig(interpreter bool) wazero.RuntimeConfig {
	rc := wazero.NewRuntimeConfigCompiler()
	if interpreter {
		rc = wazero.NewRuntimeConfigInterpreter()
	}
	return rc.WithCoreFeatures(CoreFeatures)
}
