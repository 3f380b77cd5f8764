package io.pglogs.report;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.parse.EntryKind;
import java.util.Comparator;
import java.util.List;

/** The Connections and sessions section: per user, database and client host in bounded {@link TopK}s. */
final class ConnectionTally {
    static final class Party implements TopK.Group<Party> {
        long connections;
        long authFailures;
        long sessions;
        /** Microseconds: sums in them do not depend on the order pieces are merged in. */
        long sessionMicros;
        double maxSessionMs;

        @Override
        public long count() {
            return connections + authFailures + sessions;
        }

        @Override
        public void merge(Party o) {
            connections += o.connections;
            authFailures += o.authFailures;
            sessions += o.sessions;
            sessionMicros += o.sessionMicros;
            maxSessionMs = Math.max(maxSessionMs, o.maxSessionMs);
        }
    }

    final TopK<String, Party> users;
    final TopK<String, Party> databases;
    final TopK<String, Party> clients;
    final HourCounts hours = new HourCounts();
    final PeakMinutes minutes;
    long received;
    long authorized;
    long authFailures;
    long refused;
    long sessions;
    long sessionMicros;
    double maxSessionMs;

    ConnectionTally(int capacity, int top) {
        minutes = new PeakMinutes(top);
        users = new TopK<>(capacity);
        databases = new TopK<>(capacity);
        clients = new TopK<>(capacity);
    }

    void add(LogRow row, String kind, long at) {
        switch (kind) {
            case EntryKind.CONNECTION_RECEIVED -> received++;
            case EntryKind.TOO_MANY_CONNECTIONS -> refused++;
            case EntryKind.CONNECTION_AUTHORIZED -> {
                authorized++;
                hours.add(at);
                minutes.add(at);
                each(row, p -> p.connections++);
            }
            case EntryKind.AUTHENTICATION_FAILED -> {
                authFailures++;
                each(row, p -> p.authFailures++);
            }
            case EntryKind.DISCONNECTION -> {
                double ms = Rows.decimal(row, ItemContract.SESSION_MS);
                sessions++;
                sessionMicros += Rows.micros(ms);
                maxSessionMs = Math.max(maxSessionMs, ms);
                each(row, p -> {
                    p.sessions++;
                    p.sessionMicros += Rows.micros(ms);
                    p.maxSessionMs = Math.max(p.maxSessionMs, ms);
                });
            }
            default -> {
            }
        }
    }

    private void each(LogRow row, java.util.function.Consumer<Party> change) {
        count(users, row.text(ItemContract.USER), change);
        count(databases, row.text(ItemContract.DATABASE), change);
        count(clients, host(row.text(ItemContract.CLIENT)), change);
    }

    private static void count(TopK<String, Party> table, String name, java.util.function.Consumer<Party> change) {
        TopK.Slot<String, Party> slot = table.slot(name == null ? "" : name, k -> new Party());
        change.accept(slot.value());
        table.added(slot);
    }

    /** {@code 10.0.0.5(53412)} → {@code 10.0.0.5}: a client is its host, each connection has another port. */
    static String host(String client) {
        if (client == null) {
            return null;
        }
        int paren = client.lastIndexOf('(');
        return paren > 0 && client.endsWith(")") ? client.substring(0, paren) : client;
    }

    void merge(ConnectionTally o) {
        received += o.received;
        authorized += o.authorized;
        authFailures += o.authFailures;
        refused += o.refused;
        sessions += o.sessions;
        sessionMicros += o.sessionMicros;
        maxSessionMs = Math.max(maxSessionMs, o.maxSessionMs);
        hours.merge(o.hours);
        minutes.merge(o.minutes);
        users.merge(o.users);
        databases.merge(o.databases);
        clients.merge(o.clients);
    }

    Connections build(int top) {
        return new Connections(received, authorized, authFailures, refused, sessions, sessionMicros / 1000.0,
                maxSessionMs,
                parties(users, top), parties(databases, top), parties(clients, top),
                minutes.peaks(),
                hours.hourly());
    }

    private static List<Connections.Party> parties(TopK<String, Party> table, int top) {
        return table.top(top, Comparator.<TopK.Slot<String, Party>>comparingLong(s -> -s.value().connections)
                .thenComparingLong(s -> -s.value().count()).thenComparing(TopK.Slot::key)).stream()
                .map(s -> {
                    Party p = s.value();
                    return new Connections.Party(s.key(), p.connections, p.authFailures, p.sessions,
                            p.sessions == 0 ? 0 : p.sessionMicros / 1000.0 / p.sessions, p.maxSessionMs);
                }).toList();
    }
}
