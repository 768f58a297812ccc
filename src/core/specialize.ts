/**
 * Per-format copies of a hot kernel, so each format gets its own optimised code.
 *
 * V8 shares type feedback and optimised code between all closures made from
 * one function literal, and constant-folds a closure's captured values only
 * while a single closure of that literal exists. A kernel factory called for
 * a second format therefore drops every format to generic code that reloads
 * its constant tables per element (measured: fp6 after fp8 66 instead of 123 M
 * elements/s on 4096²). `specialize(template, …consts)` compiles the
 * template's source text anew, which gives a fresh literal per call.
 *
 * Contract for `template`: self-contained — it may use only its parameters,
 * its own locals and globals (Math, typed arrays, Infinity); no imports, no
 * module-level names (a minifier renames those). It returns the kernel.
 * Callers cache the result per format: every call compiles again (a unique
 * source text each time).
 * Where compiling source is not allowed (a CSP without 'unsafe-eval'), the
 * template itself is used: same results, generic speed.
 */
/** How many kernels were compiled and how many fell back to the template (tests read this). */
export const specializeStats = { compiled: 0, fallbacks: 0 };

export function specialize<A extends unknown[], K>(template: (...consts: A) => K, ...consts: A): K {
  try {
    // `__name` is the helper esbuild's keepNames (tsx) wraps named functions in.
    // The numbered comment makes each source text unique: V8 caches compiled
    // code by source, and a cache hit would share the literal again.
    const source = `return (${template.toString()}); // specialized #${specializeStats.compiled}`;
    const compiled = new Function('__name', source)((f: unknown) => f) as (...c: A) => K;
    const kernel = compiled(...consts);
    specializeStats.compiled++;
    return kernel;
  } catch {
    specializeStats.fallbacks++;
    return template(...consts);
  }
}
