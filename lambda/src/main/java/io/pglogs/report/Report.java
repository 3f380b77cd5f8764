package io.pglogs.report;

/**
 * What {@code pglogs report} found in a window of stored entries: immutable, made by {@link ReportBuilder}, rendered
 * by the views (text, json, html). A section with nothing in it is still present, empty ({@code isEmpty()}): views
 * leave it out. docs/report.md describes every field.
 */
public record Report(
        Overview overview,
        Statements statements,
        Errors errors,
        Locks locks,
        TempFiles tempFiles,
        Checkpoints checkpoints,
        Vacuums vacuums,
        Connections connections) {

    /** This report, its overview saying where its numbers came from. */
    public Report withSources(Sources sources) {
        return new Report(overview.withSources(sources), statements, errors, locks, tempFiles, checkpoints, vacuums,
                connections);
    }

    /** Whether the window held no entry at all: the report then says so and nothing else. */
    public boolean isEmpty() {
        return overview.entries() == 0;
    }
}
