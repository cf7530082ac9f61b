// The benchmark's ceiling: a Remix route that renders fixed markup with no session, query or layout,
// so bench:http can report how close real pages come to what the server alone can do.
const PAGE = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Hearth</title></head><body><main><h1>Hearth</h1><p>Static markup.</p></main></body></html>`;

export function loader() {
  return new Response(PAGE, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}
