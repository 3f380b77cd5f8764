package io.pglogs.cli.view.html;

import java.util.ArrayList;
import java.util.List;

/**
 * A section's headline numbers, label above value; each carries {@code data-field}, the name of the number in the
 * JSON report, so a reader of the page (its test) can find it.
 */
public final class Totals {
    private record Item(String field, String label, String value) {
    }

    private final List<Item> items = new ArrayList<>();

    public Totals add(String field, String label, String value) {
        items.add(new Item(field, label, value));
        return this;
    }

    public void writeTo(Markup m) {
        m.open("dl", "class", "totals");
        for (Item i : items) {
            m.open("div", "data-field", i.field()).element("dt", i.label()).element("dd", i.value()).close("div");
        }
        m.close("dl");
    }
}
