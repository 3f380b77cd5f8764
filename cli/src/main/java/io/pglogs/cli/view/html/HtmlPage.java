package io.pglogs.cli.view.html;

/**
 * One self-contained HTML document: styles inline, charts as inline SVG, no script, no font, no image and no link to
 * anything outside the file, so it reads the same offline, attached to a ticket, years later. Its
 * Content-Security-Policy says so to the browser too ({@code default-src 'none'}): were anything able to add a script
 * or a reference to the page, the browser would refuse to run or fetch it.
 */
public final class HtmlPage {
    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'";

    private static final String STYLE = """
            :root { color-scheme: light; --fg: #1d2330; --muted: #5b6473; --line: #d9dde4; --accent: #2f6fb3;
              --band: #f4f6f9; --warn: #b3402f; }
            * { box-sizing: border-box; }
            body { margin: 0 auto; max-width: 1200px; padding: 24px; color: var(--fg); background: #fff;
              font: 14px/1.45 system-ui, -apple-system, Segoe UI, Roboto, Liberation Sans, sans-serif; }
            h1 { font-size: 22px; margin: 0 0 4px; }
            h2 { font-size: 18px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
            h3 { font-size: 15px; margin: 20px 0 6px; }
            p.meta, p.note { color: var(--muted); margin: 4px 0; }
            p.note.warn { color: var(--warn); }
            dl.totals { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 12px 0; }
            dl.totals div { min-width: 120px; }
            dl.totals dt { color: var(--muted); font-size: 12px; }
            dl.totals dd { margin: 0; font-size: 18px; font-variant-numeric: tabular-nums; }
            table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
            div.cols { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 0 24px;
              align-items: start; }
            caption { text-align: left; color: var(--muted); padding: 4px 0; }
            th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
            th { background: var(--band); font-weight: 600; white-space: nowrap; }
            td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            td code { display: block; white-space: pre-wrap; word-break: break-word; max-width: 560px;
              font: 12px/1.4 ui-monospace, DejaVu Sans Mono, Liberation Mono, monospace; }
            figure.chart { margin: 8px 0 16px; }
            figure.chart svg { width: 100%; height: auto; display: block; }
            svg text { font-size: 11px; fill: var(--muted); }
            svg .axis-title { font-size: 12px; fill: var(--fg); }
            svg line.grid { stroke: var(--line); stroke-width: 1; }
            svg line.base { stroke: var(--muted); stroke-width: 1; }
            svg rect.bar { fill: var(--accent); }
            svg rect.bar:hover { fill: #1d4f86; }
            svg polyline.line { fill: none; stroke: var(--accent); stroke-width: 1.5; }
            svg circle.peak { fill: var(--warn); }
            footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
            """;

    private HtmlPage() {
    }

    /** The whole document: {@code title} in the tab and as its heading's text is the caller's, in {@code body}. */
    public static String of(String title, Markup body) {
        Markup m = new Markup();
        m.open("html", "lang", "en").open("head");
        m.open("meta", "charset", "utf-8");
        m.open("meta", "http-equiv", "Content-Security-Policy", "content", CSP);
        m.open("meta", "name", "viewport", "content", "width=device-width, initial-scale=1");
        m.open("meta", "name", "color-scheme", "content", "light");
        m.element("title", title);
        m.element("style", STYLE); // constant CSS: escaping leaves it as it is (it holds no & < > " ')
        m.close("head").open("body").append(body).close("body").close("html");
        return "<!DOCTYPE html>\n" + m + "\n";
    }
}
