// RMI_REC_AUX_COUNT, 1.0 only (spec B4.3.11; reference 5.10): how many auxiliary granules each
// REC of a realm needs (X1). 2.0 dropped it: the RMM asks for memory through an SRO instead.
import type { Command } from '../../checks';
import { Fid } from '../../constants';
import type { RmmState } from '../../state';
import { num, rdArg } from '../common';
import { recAuxCount } from './rec-params';

interface S {
  st: RmmState;
  rd: number;
}

export const REC_AUX_COUNT: Command<S> = {
  name: 'RMI_REC_AUX_COUNT',
  fid: Fid.RMI_REC_AUX_COUNT,
  profiles: ['1.0'],
  checks: rdArg<S>(),
  orderings: [],
  scope: (st, x) => ({ st, rd: num(x[0]) }),
  touches: (s) => [s.rd],
  apply(s, ctx) {
    ctx.out[0] = BigInt(recAuxCount(s.st));
  },
};
