// The embedded host code: our C files, in the order they are compiled (headers first, so every
// later unit sees their types; a unit sees functions of the units before it).
import rmiSmcH from './c/include/rmi_smc.h';
import kvmRmiH from './c/include/kvm_rmi.h';
import rmiCmdsC from './c/kernel/rmi_cmds.c';
import kernelRmiC from './c/kernel/rmi.c';
import mmuC from './c/kvm/mmu.c';
import kvmRmiC from './c/kvm/rmi.c';
import rmeC from './c/kvm/rme.c';
import armC from './c/kvm/arm.c';

export interface HostFile {
  /** Path below the host code root, e.g. 'kvm/rmi.c'. */
  path: string;
  text: string;
}

export const HOST_FILES: readonly HostFile[] = [
  { path: 'include/rmi_smc.h', text: rmiSmcH },
  { path: 'include/kvm_rmi.h', text: kvmRmiH },
  { path: 'kernel/rmi_cmds.c', text: rmiCmdsC },
  { path: 'kernel/rmi.c', text: kernelRmiC },
  { path: 'kvm/mmu.c', text: mmuC },
  { path: 'kvm/rmi.c', text: kvmRmiC },
  { path: 'kvm/rme.c', text: rmeC },
  { path: 'kvm/arm.c', text: armC },
];
