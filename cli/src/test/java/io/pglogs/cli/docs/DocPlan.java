package io.pglogs.cli.docs;

import io.pglogs.cli.docs.DocExamples.Example;
import io.pglogs.cli.docs.Expectations.Expectation;
import io.pglogs.cli.docs.Expectations.Section;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The documents' examples paired with their expectations, in reading order. Every example the documents do not mark
 * needs an expectation, in the same order, and every expectation a command the documents show: a command added,
 * changed or removed in a document without its expectation is named here before anything runs.
 */
public final class DocPlan {
    public record Step(Example example, Expectation expectation, Map<String, String> shell) {
    }

    public record Plan(List<Step> steps, List<Example> skipped, List<String> problems) {
    }

    private DocPlan() {
    }

    public static Plan of(Path repo, Map<String, Section> expectations) {
        List<Step> steps = new ArrayList<>();
        List<Example> skipped = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String extra : expectations.keySet()) {
            if (!DocExamples.DOCUMENTS.contains(extra)) {
                problems.add(Expectations.FILE + ": [" + extra + "] is not in DocExamples.DOCUMENTS");
            }
        }
        for (String document : DocExamples.DOCUMENTS) {
            Section section = expectations.getOrDefault(document, new Section(Map.of(), List.of()));
            List<Example> runnable = new ArrayList<>();
            for (Example e : DocExamples.of(repo, document)) {
                (e.skipped() == null ? runnable : skipped).add(e);
            }
            List<Expectation> expected = section.commands();
            int n = Math.max(runnable.size(), expected.size());
            for (int i = 0; i < n; i++) {
                Example e = i < runnable.size() ? runnable.get(i) : null;
                Expectation x = i < expected.size() ? expected.get(i) : null;
                if (e != null && x != null && e.key().equals(x.key())) {
                    steps.add(new Step(e, x, section.shell()));
                } else {
                    problems.add(mismatch(document, e, x));
                    break; // everything after a missing or extra line is out of step: one problem says it
                }
            }
        }
        return new Plan(steps, skipped, problems);
    }

    private static String mismatch(String document, Example e, Expectation x) {
        if (e == null) {
            return Expectations.FILE + ":" + x.at() + ": expects '" + x.key() + "', which " + document
                    + " no longer shows (or marks as not run here)";
        }
        String has = x == null ? "nothing more" : "'" + x.key() + "' (line " + x.at() + ")";
        return e.where() + ": '" + e.key() + "' has no expectation in " + Expectations.FILE + " (which has " + has
                + " there under [" + document + "]): add one ('  -> exit N: TEXT' on the line after the command), or"
                + " mark it in the document with [real AWS only] or [not run by the docs test: WHY] if it cannot run"
                + " against moto";
    }
}
