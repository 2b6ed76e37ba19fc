// Struct, union and enum definitions of a C text with their members, for the outline and
// breadcrumbs, and the place a member is declared (go to definition on `kvm->arch`). The
// checker keeps no positions for members, so this reads tree-sitter's syntax tree of the file,
// with the C parser the front end loads (no C is read by hand).
import type { Node as TsNode } from 'web-tree-sitter';
import { SourceFile, type CParser, type SrcRange } from '../../lang';

export interface OutlineMember {
  name: string;
  kind: 'field' | 'enumerator';
  /** The member's declaration as written, e.g. `struct realm realm`. */
  detail: string;
  range: SrcRange;
  nameRange: SrcRange;
}

export interface TypeOutline {
  name: string;
  kind: 'struct' | 'union' | 'enum';
  range: SrcRange;
  nameRange: SrcRange;
  members: OutlineMember[];
}

const SPECIFIERS: Record<string, TypeOutline['kind']> = { struct_specifier: 'struct', union_specifier: 'union', enum_specifier: 'enum' };

/** Named definitions (`struct kvm { ... }`, `typedef struct { ... } name`, `enum realm_state { ... }`). */
export function typeOutline(parser: CParser, file: string, text: string): TypeOutline[] {
  const src = new SourceFile(file, text);
  const r = (n: TsNode) => src.range(n.startIndex, n.endIndex);
  const tree = parser.parse(text);
  try {
    const out: TypeOutline[] = [];
    for (const n of tree.rootNode.descendantsOfType(Object.keys(SPECIFIERS))) {
      const body = n?.childForFieldName('body');
      if (!n || !body) continue;
      const tag = n.childForFieldName('name');
      // typedef struct { ... } name;  names the anonymous struct.
      const alias = !tag && n.parent?.type === 'type_definition' ? n.parent.childForFieldName('declarator') : null;
      const nameNode = tag ?? alias;
      if (!nameNode) continue;
      const kind = SPECIFIERS[n.type];
      out.push({ name: nameNode.text, kind, range: r(alias ? n.parent! : n), nameRange: r(nameNode), members: kind === 'enum' ? enumerators(body, r) : fields(body, r) });
    }
    return out;
  } finally {
    tree.delete();
  }
}

function enumerators(body: TsNode, r: (n: TsNode) => SrcRange): OutlineMember[] {
  const out: OutlineMember[] = [];
  for (const e of body.namedChildren) {
    const name = e?.type === 'enumerator' ? e.childForFieldName('name') : null;
    if (e && name) out.push({ name: name.text, kind: 'enumerator', detail: e.text.replace(/\s+/g, ' '), range: r(e), nameRange: r(name) });
  }
  return out;
}

function fields(body: TsNode, r: (n: TsNode) => SrcRange): OutlineMember[] {
  const out: OutlineMember[] = [];
  for (const d of body.namedChildren) {
    if (d?.type !== 'field_declaration') continue;
    const detail = d.text.replace(/;\s*$/, '').replace(/\s+/g, ' ');
    // The names, but not those of a nested struct's own members.
    for (const id of d.descendantsOfType('field_identifier')) {
      if (id && nearestDeclaration(id)?.id === d.id) out.push({ name: id.text, kind: 'field', detail, range: r(d), nameRange: r(id) });
    }
  }
  return out;
}

function nearestDeclaration(n: TsNode): TsNode | null {
  let p = n.parent;
  while (p && p.type !== 'field_declaration') p = p.parent;
  return p;
}

const outlines = new Map<string, TypeOutline[]>();

/** Where `struct <tag>`'s member `field` is declared in a file's text (outlines cached by text). */
export function memberDeclaration(parser: CParser, file: string, text: string, tag: string, field: string): SrcRange | undefined {
  const key = `${file}\0${text}`;
  let list = outlines.get(key);
  if (!list) {
    list = typeOutline(parser, file, text);
    outlines.set(key, list);
    if (outlines.size > 32) outlines.delete(outlines.keys().next().value!);
  }
  return list.find((t) => t.kind !== 'enum' && t.name === tag)?.members.find((m) => m.name === field)?.nameRange;
}
