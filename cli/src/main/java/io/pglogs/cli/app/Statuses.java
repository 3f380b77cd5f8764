package io.pglogs.cli.app;

import io.pglogs.cli.rds.CollectedDatabases;
import io.pglogs.cli.status.StatusCollector;
import io.pglogs.cli.status.StatusReport;
import java.time.Clock;

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
        return collector.collect(session.env().name(), session.aws().region().id(), session.tableName(),
                session.table(), session.functionName(), databases.instances(), databases.clusters(),
                session.env().isProd());
    }
}
