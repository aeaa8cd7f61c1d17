// The five analytics systems and which of them this server serves: a system
// appears on the home page only when /openapi.json lists routes under its
// /analytics/<slug>/ prefix (no placeholder cards for systems not running).

export interface SystemInfo {
  slug: string;
  name: string;
  description: string;
}

export const SYSTEMS: SystemInfo[] = [
  { slug: "market-intelligence", name: "Market Intelligence Hub", description: "Sales forecasts with intervals and model comparison" },
  { slug: "demand-insights", name: "Demand Insights Engine", description: "Segments, lifetime value, churn and price elasticity" },
  { slug: "compliance", name: "Compliance Guardian", description: "Fraud queue, risk scores and the PCI DSS report" },
  { slug: "global-market", name: "Global Market Pulse", description: "Regions, opportunities and basket rules" },
  { slug: "copilot", name: "Retail Copilot", description: "Questions in plain language, answered with SQL" },
];

export interface OpenApiDocument {
  info?: { version?: string };
  paths?: Record<string, Record<string, unknown>>;
}

export interface ServedSystem extends SystemInfo {
  routes: string[]; // "GET /analytics/<slug>/..."
}

export function servedSystems(document: OpenApiDocument): ServedSystem[] {
  const paths = Object.entries(document.paths ?? {});
  return SYSTEMS.map((system) => {
    const prefix = `/analytics/${system.slug}/`;
    const routes = paths
      .filter(([path]) => path.startsWith(prefix))
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    return { ...system, routes };
  }).filter((s) => s.routes.length > 0);
}

// Route counts per area ("auth", "admin", ...), from each path's first segment.
export function routeAreas(document: OpenApiDocument): { area: string; routes: number }[] {
  const areas = new Map<string, number>();
  for (const [path, methods] of Object.entries(document.paths ?? {})) {
    const area = path.split("/")[1] || "/";
    areas.set(area, (areas.get(area) ?? 0) + Object.keys(methods).length);
  }
  return [...areas.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([area, routes]) => ({ area, routes }));
}
