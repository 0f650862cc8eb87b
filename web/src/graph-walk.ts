import { getJson } from './api.js';
import type { RecordDetail, RelationList } from './api-types.js';

/**
 * The neighbourhood of a record along owner → asset → identity → credential. From the centre
 * every relation is followed; from any other node only relations that lead further away from
 * the centre's kind along that chain, so that an asset's graph shows its owners, the identities
 * that run on it and their credentials, not every other asset of the same owner.
 */
export const RANK: Record<string, number> = { owner: 0, asset: 1, identity: 2, credential: 3 };

export interface GraphNode {
  readonly id: string;
  readonly recordId: string | null;
  readonly kind: string | null;
  readonly label: string;
  readonly depth: number;
}

export interface GraphEdge {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly type: string;
  readonly source: string;
}

export interface Neighbourhood {
  readonly centre: GraphNode;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** True when the node cap stopped the walk: the graph shows part of the neighbourhood. */
  readonly truncated: boolean;
}

export const MAX_NODES = 150;
/** Records whose own relations are read at each step away from the centre. */
export const MAX_EXPANSIONS_PER_LEVEL = 40;
const MAX_DEPTH = 4;

function rankOf(kind: string | null): number | undefined {
  return kind ? RANK[kind] : undefined;
}

/** Whether the walk goes on from `node` to a neighbour of kind `kind`. */
function leadsAway(centre: GraphNode, node: GraphNode, kind: string | null): boolean {
  if (node.id === centre.id) return true;
  const c = rankOf(centre.kind);
  const n = rankOf(node.kind);
  const k = rankOf(kind);
  if (c === undefined || n === undefined || k === undefined || n === c) return false;
  return n > c ? k >= n : k <= n;
}

export async function walkNeighbourhood(id: string): Promise<Neighbourhood> {
  const record = await getJson<RecordDetail>(`/records/${encodeURIComponent(id)}`);
  const centre: GraphNode = {
    id: record.id,
    recordId: record.id,
    kind: record.kind,
    label: record.name,
    depth: 0,
  };
  const nodes = new Map<string, GraphNode>([[centre.id, centre]]);
  const edges = new Map<string, GraphEdge>();
  let frontier = [centre];
  let truncated = false;
  for (let depth = 1; depth <= MAX_DEPTH && frontier.length > 0; depth++) {
    const lists = await Promise.all(
      frontier.map((n) =>
        getJson<RelationList>(`/records/${encodeURIComponent(n.recordId!)}/relations`),
      ),
    );
    const next: GraphNode[] = [];
    frontier.forEach((from, i) => {
      for (const rel of lists[i]!.items) {
        const other = rel.other;
        if (!leadsAway(centre, from, other.kind)) continue;
        const otherId = other.id ?? `key:${other.key?.type ?? '?'}:${other.key?.value ?? '?'}`;
        if (!nodes.has(otherId)) {
          if (nodes.size >= MAX_NODES) {
            truncated = true;
            continue;
          }
          const label = other.name ?? other.key?.value ?? otherId;
          const node = { id: otherId, recordId: other.id, kind: other.kind, label, depth };
          nodes.set(otherId, node);
          if (other.id) next.push(node);
        }
        const [a, b] = rel.direction === 'out' ? [from.id, otherId] : [otherId, from.id];
        const edgeId = `${a}|${rel.type}|${b}`;
        if (!edges.has(edgeId))
          edges.set(edgeId, { id: edgeId, from: a, to: b, type: rel.type, source: rel.source });
      }
    });
    // Each node walked is one API call: a wide level is cut, so that one graph stays well
    // inside the per-token rate limit.
    if (next.length > MAX_EXPANSIONS_PER_LEVEL) truncated = true;
    frontier = next.slice(0, MAX_EXPANSIONS_PER_LEVEL);
  }
  return { centre, nodes: [...nodes.values()], edges: [...edges.values()], truncated };
}
