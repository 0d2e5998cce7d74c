/**
 * A connection edge whose cursor is encoded only if the query asks for it, from the
 * position the edge was read at.
 *
 * The getter lives on the prototype on purpose: a getter per edge is a closure per edge,
 * and V8's young-generation collector kept such closures (and the page they reach) alive
 * until the next full collection, which promoted every page to the old generation.
 */
export class Edge<Node, Position> {
  constructor(
    readonly node: Node,
    private readonly position: Position,
    private readonly encode: (position: Position) => string,
  ) {}

  get cursor(): string {
    return this.encode(this.position);
  }
}
