/**
 * A small force-directed layout (Fruchterman and Reingold, 1991) for the correspondents graph: at
 * most a few hundred nodes, so the plain O(n²) version runs in tens of milliseconds. Deterministic:
 * nodes start on a spiral in the given order, so the same data draws the same picture.
 */
/** How hard everything is pulled to the middle: enough to keep people without links on the page. */
const GRAVITY = 0.03;

export interface LayoutNode {
  id: string;
  weight: number;
  x: number;
  y: number;
}

export interface LayoutEdge {
  source: number;
  target: number;
  weight: number;
}

export function forceLayout(nodes: LayoutNode[], edges: LayoutEdge[], width: number, height: number, iterations = 300): void {
  const n = nodes.length;
  if (n === 0) return;
  const area = width * height;
  const k = Math.sqrt(area / n) * 0.8;
  const golden = Math.PI * (3 - Math.sqrt(5));
  nodes.forEach((node, i) => {
    const r = Math.sqrt((i + 0.5) / n) * Math.min(width, height) * 0.45;
    node.x = width / 2 + r * Math.cos(i * golden);
    node.y = height / 2 + r * Math.sin(i * golden);
  });
  const maxEdge = Math.max(1, ...edges.map((e) => e.weight));
  const maxWeight = Math.max(1, ...nodes.map((node) => node.weight));
  // Big nodes (drawn larger) push harder, so that the busiest people do not pile up in the middle.
  const size = nodes.map((node) => Math.sqrt(node.weight / maxWeight));
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  let temperature = Math.min(width, height) / 8;
  const cool = temperature / (iterations + 1);
  for (let it = 0; it < iterations; it++) {
    dx.fill(0);
    dy.fill(0);
    for (let i = 0; i < n; i++) {
      const a = nodes[i]!;
      for (let j = i + 1; j < n; j++) {
        const b = nodes[j]!;
        let x = a.x - b.x;
        let y = a.y - b.y;
        let d2 = x * x + y * y;
        if (d2 < 0.01) {
          x = 0.1 * ((i % 7) - 3);
          y = 0.1 * ((j % 5) - 2);
          d2 = x * x + y * y + 0.01;
        }
        const f = ((k * k) / d2) * (1 + size[i]! + size[j]!);
        dx[i]! += x * f;
        dy[i]! += y * f;
        dx[j]! -= x * f;
        dy[j]! -= y * f;
      }
    }
    for (const e of edges) {
      const a = nodes[e.source]!;
      const b = nodes[e.target]!;
      const x = a.x - b.x;
      const y = a.y - b.y;
      const d = Math.sqrt(x * x + y * y) || 0.01;
      // Heavier pairs pull harder: people who write to each other often sit together.
      const f = (d / k) * (0.4 + (0.6 * e.weight) / maxEdge);
      dx[e.source]! -= x * f;
      dy[e.source]! -= y * f;
      dx[e.target]! += x * f;
      dy[e.target]! += y * f;
    }
    for (let i = 0; i < n; i++) {
      const node = nodes[i]!;
      // Elliptical, to fill a wide figure.
      dx[i]! += (width / 2 - node.x) * GRAVITY * k * (height / width);
      dy[i]! += (height / 2 - node.y) * GRAVITY * k;
      const d = Math.sqrt(dx[i]! * dx[i]! + dy[i]! * dy[i]!) || 1;
      const step = Math.min(d, temperature);
      // Margins leave room for the labels drawn above the circles.
      node.x = Math.min(width - 40, Math.max(40, node.x + (dx[i]! / d) * step));
      node.y = Math.min(height - 25, Math.max(40, node.y + (dy[i]! / d) * step));
    }
    temperature -= cool;
  }
}
