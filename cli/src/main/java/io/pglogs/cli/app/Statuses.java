package io.pglogs.cli.app;

import io.pglogs.cli.config.Setting;
import io.pglogs.cli.rds.CollectedDatabases;
import io.pglogs.cli.status.StatusCollector;
import io.pglogs.cli.status.StatusReport;
import io.pglogs.forwarder.parse.Redaction;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An environment's deployment as AWS sees it, and what is wrong with it. */
public final class Statuses {
    private final Session session;
    private final Clock clock;

    private Statuses(Session session, Clock clock) {
        this.session = session;
        this.clock = clock;
    }

    public static Statuses of(Session session) {
        return new Statuses(session, Clock.systemUTC());
    }

    /** The report; its instances and clusters are those the environment collects from ({@code auto} resolved). */
    public StatusReport collect() {
        CollectedDatabases databases = session.databases();
        StatusCollector collector = new StatusCollector(session.aws().dynamoDb(), session.aws().lambda(),
                session.aws().logs(), session.aws().sqs(), clock);
        StatusReport report = collector.collect(session.env().name(), session.aws().region().id(),
                session.tableName(), session.table(), session.functionName(), databases.instances(),
                databases.clusters(), session.env().isProd());
        Optional<Redaction> wanted = session.requestedRedaction();
        List<String> redaction = new ArrayList<>();
        if (wanted.isPresent()) {
            redaction.addAll(RedactionBelowSetting.problems(wanted.get(), Setting.REDACT.key(session.env()),
                    session.env().name(), report));
        }
        // Without a local setting, or even with one it meets, the function may still redact less than its table.
        if (redaction.stream().noneMatch(p -> p.startsWith("function "))) {
            redaction.addAll(RedactionBelowSetting.functionBelowTable(session.env().name(), report));
        }
        report = withProblems(report, redaction);
        return session.local() ? locally(report) : report;
    }

    private static StatusReport withProblems(StatusReport r, List<String> more) {
        if (more.isEmpty()) {
            return r;
        }
        List<String> problems = new ArrayList<>(r.problems());
        problems.addAll(more);
        return new StatusReport(r.environment(), r.region(), r.table(), r.function(), r.settings(), r.logGroups(),
                problems, r.notes());
    }

    /**
     * The local pipeline has no function, subscription or failure queue (moto cannot run a Java Lambda): its delivery
     * loop reads the log groups and runs the forwarder's code itself. Their absence is no problem there; what stands
     * in is said instead.
     */
    private StatusReport locally(StatusReport r) {
        String function = r.function().name();
        List<String> problems = r.problems().stream()
                .filter(p -> !p.startsWith("function " + function + " "))
                .filter(p -> !p.contains(" is configured but not subscribed to "))
                .toList();
        List<String> notes = new ArrayList<>(r.notes());
        notes.add("local pipeline: no function " + function + " runs in the emulator; the delivery loop of 'pglogs "
                + "local up' reads the log groups and stores their entries with the forwarder's own code, retrying "
                + "what fails (pglogs local status)");
        return new StatusReport(r.environment(), r.region(), r.table(), r.function(), r.settings(), r.logGroups(),
                problems, notes);
    }
}
