// A runtime error of the C program (a fault, a failed budget, a misuse caught by an intrinsic):
// the machine stops and reports it at the statement being executed.
export class CRuntimeError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export const hex = (v: bigint | number): string => `0x${BigInt.asUintN(64, BigInt(v)).toString(16)}`;
