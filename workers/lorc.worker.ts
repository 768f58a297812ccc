/// <reference lib="webworker" />
/** The LoRC worker: boring on purpose (ARCHITECTURE rule 3). */
import { expose } from 'comlink';
import { createLorcApi } from './lorcApi.ts';

expose(createLorcApi());
