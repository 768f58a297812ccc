/** The real quantizer and bit costs, for callers that do not inject their own. */
import { quantize } from '../quant/quantize.ts';
import { bitsPerElement } from '../quant/bitsPerElement.ts';
import type { AnalysisDeps } from './types.ts';

export const defaultDeps: AnalysisDeps = { quantize, bitsPerElement };
