package io.pglogs.cli.view.html;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;

/**
 * Writes HTML (and inline SVG) where only the code chooses markup: tag and attribute names are checked constants, and
 * every text and attribute value passes through {@link Html}, so no string from a log can open or close an element.
 * Elements are closed in order (a mismatch is a bug, thrown at once), so the document is always well formed.
 */
public final class Markup {
    private static final Pattern NAME = Pattern.compile("[a-z][a-zA-Z0-9-]*");
    private static final java.util.Set<String> VOID = java.util.Set.of("meta", "br", "hr", "col", "wbr");

    private final StringBuilder out = new StringBuilder(4096);
    private final Deque<String> open = new ArrayDeque<>();

    /** Opens {@code tag}; {@code attributes} are name, value pairs (a null value leaves the attribute out). */
    public Markup open(String tag, String... attributes) {
        start(tag, attributes);
        if (!VOID.contains(tag)) {
            open.push(tag);
        }
        return this;
    }

    /** Closes the innermost open element, which must be {@code tag}. */
    public Markup close(String tag) {
        String innermost = open.poll();
        if (!tag.equals(innermost)) {
            throw new IllegalStateException("closing " + tag + " while " + innermost + " is open");
        }
        out.append("</").append(tag).append('>');
        return this;
    }

    /** {@code <tag attributes>text</tag>}. */
    public Markup element(String tag, String text, String... attributes) {
        return open(tag, attributes).text(text).close(tag);
    }

    /** An element without content, closed at once (SVG shapes: {@code <rect .../>}). */
    public Markup empty(String tag, String... attributes) {
        start(tag, attributes);
        out.setLength(out.length() - 1);
        out.append("/>");
        return this;
    }

    public Markup text(String s) {
        out.append(Html.text(s));
        return this;
    }

    /** Markup made by another {@link Markup}, complete in itself. */
    public Markup append(Markup other) {
        if (!other.open.isEmpty()) {
            throw new IllegalStateException("appending markup with open elements " + other.open);
        }
        out.append(other.out);
        return this;
    }

    @Override
    public String toString() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("elements left open: " + open);
        }
        return out.toString();
    }

    private void start(String tag, String... attributes) {
        name(tag);
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name, value pairs: " + attributes.length);
        }
        out.append('<').append(tag);
        for (int i = 0; i < attributes.length; i += 2) {
            if (attributes[i + 1] != null) {
                out.append(' ').append(name(attributes[i])).append("=\"").append(Html.attr(attributes[i + 1]))
                        .append('"');
            }
        }
        out.append('>');
    }

    private static String name(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not an element or attribute name: " + name);
        }
        return name;
    }
}
