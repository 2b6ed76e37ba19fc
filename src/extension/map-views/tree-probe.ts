// The realms tree as plain JSON-able data, down to a depth: what DESCRIBE_TREE_COMMAND returns.
// Pages are opened like any node, so a caller sees what a user expanding the tree would see.
import type { TreeNode } from './realm-tree-model';

export interface NodeDescription {
  id: string;
  label: string;
  description?: string;
  granule?: number;
  pa?: string;
  children?: NodeDescription[];
  /** Children exist but lie below the requested depth. */
  more?: boolean;
}

export function describeNodes(nodes: readonly TreeNode[], depth: number): NodeDescription[] {
  return nodes.map((n) => {
    const d: NodeDescription = { id: n.id, label: n.label, description: n.description, granule: n.granule, pa: n.pa };
    if (n.children) {
      if (depth > 1) d.children = describeNodes(n.children(), depth - 1);
      else d.more = true;
    }
    return d;
  });
}
