package io.pglogs.report;

/** A name (a severity, kind, instance, SQLSTATE class, cause) and how many entries had it. */
public record NameCount(String name, long count) {
}
