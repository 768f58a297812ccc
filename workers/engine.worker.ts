/// <reference lib="webworker" />
/** The engine worker: boring on purpose (ARCHITECTURE rule 3). */
import { expose } from 'comlink';
import { createEngineApi } from './engineApi.ts';

expose(createEngineApi());
