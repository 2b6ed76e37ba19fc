// C spellings of what the checker knows: `struct realm_params *params`, `u8 *image[16]`,
// `int realm_create_rd(struct kvm *kvm)`. Built from the checker's types (typedef names kept).
import { typeName, type CType, type FuncSym } from '../../lang';

/** A declaration of `name` with type `t`, as C writes it (declarators wrap around the name). */
export function declaration(t: CType, name: string): string {
  if (t.name) return join(t.name, name);
  switch (t.t) {
    case 'ptr':
      if (t.to.t === 'func' && !t.to.name) return `${typeName(t.to.ret)} (*${name})(${params(t.to.params.map((p) => typeName(p)), t.to)})`;
      return declaration(t.to, `*${name}`);
    case 'array':
      return declaration(t.of, `${name.startsWith('*') ? `(${name})` : name}[${t.len ?? ''}]`);
    case 'func':
      return declaration(t.ret, `${name}(${params(t.params.map((p) => typeName(p)), t)})`);
    default:
      return join(typeName(t), name);
  }
}

const join = (type: string, name: string) => (name ? `${type} ${name}` : type);

function params(list: string[], f: CType & { t: 'func' }): string {
  if (f.unspecified) return '';
  const ps = [...list];
  if (f.variadic) ps.push('...');
  return ps.length ? ps.join(', ') : 'void';
}

/** A function's prototype with its parameter names, when it has a definition that names them. */
export function signature(fn: FuncSym): string {
  const t = fn.type;
  const names = fn.params.map((p) => (p.name.startsWith('<') ? '' : p.name));
  const list = t.params.map((p, i) => declaration(p, names[i] ?? ''));
  return declaration(t.ret, `${fn.name}(${params(list, t)})`);
}
