package io.pglogs.cli.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.pglogs.cli.app.Reports;
import io.pglogs.cli.term.Json;
import io.pglogs.report.Checkpoints;
import io.pglogs.report.Connections;
import io.pglogs.report.Errors;
import io.pglogs.report.Locks;
import io.pglogs.report.Overview;
import io.pglogs.report.Statements;
import io.pglogs.report.TempFiles;
import io.pglogs.report.Vacuums;
import java.io.PrintWriter;
import java.time.Instant;

/**
 * The report as one JSON document (docs/report.md "JSON"): the model's fields in snake_case like every -o json,
 * times as ISO-8601 UTC, durations in milliseconds, sizes in bytes; every section present, empty ones with zeros.
 * Log content is escaped so it cannot drive a terminal ({@link Json#terminalSafe}).
 */
final class ReportJsonView extends ReportView {
    /** Raised when a field changes meaning or goes; new fields may appear without it. */
    static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper MAPPER = Json.terminalSafe(JsonMapper.builder()
                    // isEmpty() is the views' question, not a field
                    .disable(MapperFeature.AUTO_DETECT_IS_GETTERS).build())
            .enable(SerializationFeature.INDENT_OUTPUT)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .registerModule(new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance));

    /** What reading cost: instances read, items DynamoDB read and returned, Query requests, milliseconds. */
    record Read(int instances, long itemsRead, long itemsReturned, long queries, long millis) {
    }

    record Document(int schemaVersion, Overview overview, Statements statements, Errors errors, Locks locks,
                    TempFiles tempFiles, Checkpoints checkpoints, Vacuums vacuums, Connections connections,
                    Read read) {
    }

    ReportJsonView(PrintWriter out, PrintWriter err) {
        super(out, err);
    }

    @Override
    protected void render(Reports.Result result, boolean quiet) {
        var r = result.report();
        var stats = result.read().stats();
        Document doc = new Document(SCHEMA_VERSION, r.overview(), r.statements(), r.errors(), r.locks(),
                r.tempFiles(), r.checkpoints(), r.vacuums(), r.connections(), new Read(result.instances(),
                stats.scanned(), stats.returned(), stats.queries(), result.read().millis()));
        try {
            out.println(MAPPER.writeValueAsString(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}
