package dev.portoneverify.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README.md and README.ko.md say the same thing in two languages (issue 21): the same sections in the same
 * order and the same commands, so that a change to one that forgets the other fails the build. Links in
 * both and in docs/ must lead somewhere. Plain file reading: no server.
 */
class ReadmeParityTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path ENGLISH = ROOT.resolve("README.md");
    private static final Path KOREAN = ROOT.resolve("README.ko.md");

    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern FENCE = Pattern.compile("^\\s*(```+|~~~+)\\s*([\\w+-]*).*$");
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");
    /** Blocks whose lines are commands, compared as they are; comments may be translated. */
    private static final Set<String> SHELL = Set.of("bash", "sh", "shell", "http");
    private static final Set<String> SCRIPT = Set.of("js", "javascript");

    @Test
    void the_korean_readme_has_the_same_headings_at_the_same_levels_in_the_same_order() {
        Markdown english = Markdown.read(ENGLISH);
        Markdown korean = Markdown.read(KOREAN);
        List<Integer> englishLevels = english.headings().stream().map(Heading::level).toList();
        List<Integer> koreanLevels = korean.headings().stream().map(Heading::level).toList();
        assertEquals(englishLevels, koreanLevels, "README.ko.md must have README.md's headings, level by level;\n"
                + "README.md:\n" + outline(english) + "\nREADME.ko.md:\n" + outline(korean));
    }

    @Test
    void the_korean_readme_shows_the_same_commands_in_the_same_order() {
        List<String> english = Markdown.read(ENGLISH).commands();
        List<String> korean = Markdown.read(KOREAN).commands();
        assertTrue(english.size() > 20, "README.md's code blocks hold the walkthrough's commands: " + english);
        assertEquals(String.join("\n", english), String.join("\n", korean),
                "the commands in README.ko.md's bash, http, console and js blocks must be README.md's");
    }

    @Test
    void each_readme_links_to_the_other_at_its_top() {
        assertTrue(Markdown.read(ENGLISH).lines().stream().limit(5).anyMatch(l -> l.contains("](README.ko.md)")),
                "README.md links to README.ko.md in its first lines");
        assertTrue(Markdown.read(KOREAN).lines().stream().limit(5).anyMatch(l -> l.contains("](README.md)")),
                "README.ko.md links to README.md in its first lines");
    }

    @Test
    void every_relative_link_in_the_readmes_and_docs_points_to_a_file_and_heading_that_exist() {
        List<String> broken = new ArrayList<>();
        for (Path file : documents()) {
            Markdown doc = Markdown.read(file);
            for (String target : doc.links()) {
                if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    continue; // http:, https:, mailto:: not ours to check here
                }
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(ROOT.relativize(file) + ": " + target + " (no such file)");
                } else if (anchor != null && !anchor.isEmpty() && resolved.toString().endsWith(".md")
                        && !Markdown.read(resolved).anchors().contains(anchor)) {
                    broken.add(ROOT.relativize(file) + ": " + target + " (no such heading)");
                }
            }
        }
        assertEquals(List.of(), broken, "links that lead nowhere");
    }

    @Test
    void every_java_file_the_readmes_name_exists() {
        Pattern javaFile = Pattern.compile("`((?:[\\w-]+/)*[\\w-]+\\.java)`");
        Path sources = ROOT.resolve("src/main/java/dev/portoneverify");
        List<String> missing = new ArrayList<>();
        for (Path readme : List.of(ENGLISH, KOREAN)) {
            for (String line : Markdown.read(readme).lines()) {
                Matcher m = javaFile.matcher(line);
                while (m.find()) {
                    if (!Files.exists(sources.resolve(m.group(1))) && !Files.exists(ROOT.resolve(m.group(1)))) {
                        missing.add(ROOT.relativize(readme) + ": " + m.group(1));
                    }
                }
            }
        }
        assertEquals(List.of(), missing, "files the code reading order names (under src/main/java/dev/portoneverify/)");
    }

    @Test
    void the_anchors_are_made_as_github_makes_them() {
        assertEquals("post-paymentscomplete--the-browsers-report",
                Markdown.slug("`POST /payments/complete` — the browser's report"));
        assertEquals("checking-a-jar-the-self-test-and-a-faster-start",
                Markdown.slug("Checking a jar: the self-test, and a faster start"));
        assertEquals("운영-상태-확인-지표-로그", Markdown.slug("운영: 상태 확인, 지표, 로그"));
    }

    private static List<Path> documents() {
        List<Path> files = new ArrayList<>(List.of(ENGLISH, KOREAN));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static String outline(Markdown doc) {
        return doc.headings().stream().map(h -> "#".repeat(h.level()) + " " + h.text())
                .collect(Collectors.joining("\n"));
    }

    record Heading(int level, String text) {}

    /** Just enough Markdown: headings, fenced blocks and links, each outside code where it matters. */
    record Markdown(List<String> lines, List<Heading> headings, List<String> commands, List<String> links) {
        static Markdown read(Path file) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<Heading> headings = new ArrayList<>();
            List<String> commands = new ArrayList<>();
            List<String> links = new ArrayList<>();
            String fence = null;
            String language = "";
            for (String line : lines) {
                Matcher f = FENCE.matcher(line);
                if (fence == null && f.matches()) {
                    fence = f.group(1);
                    language = f.group(2).toLowerCase(Locale.ROOT);
                    continue;
                }
                if (fence != null) {
                    if (line.trim().startsWith(fence) && line.trim().replace(fence.substring(0, 1), "").isEmpty()) {
                        fence = null;
                    } else {
                        command(language, line).ifPresent(commands::add);
                    }
                    continue;
                }
                Matcher h = HEADING.matcher(line);
                if (h.matches()) {
                    headings.add(new Heading(h.group(1).length(), h.group(2)));
                }
                Matcher l = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
                while (l.find()) {
                    links.add(l.group(1));
                }
            }
            return new Markdown(lines, headings, commands, links);
        }

        private static Optional<String> command(String language, String line) {
            String code;
            if (language.equals("console")) {
                if (!line.startsWith("$ ")) {
                    return Optional.empty(); // the answer, not a command
                }
                code = withoutComment(line, "#");
            } else if (SHELL.contains(language)) {
                code = withoutComment(line, "#");
            } else if (SCRIPT.contains(language)) {
                code = withoutComment(line, "//");
            } else {
                return Optional.empty();
            }
            code = code.stripTrailing();
            return code.isBlank() ? Optional.empty() : Optional.of(code);
        }

        /** The line up to a comment marker that starts a line or follows a blank, outside quotes. */
        static String withoutComment(String line, String marker) {
            char quote = 0;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '\'' || c == '"' || c == '`') {
                    quote = c;
                } else if (line.startsWith(marker, i) && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                    return line.substring(0, i);
                }
            }
            return line;
        }

        Set<String> anchors() {
            Map<String, Integer> seen = new HashMap<>();
            Set<String> anchors = new LinkedHashSet<>();
            for (Heading heading : headings) {
                String slug = slug(heading.text());
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(n == 0 ? slug : slug + "-" + n);
            }
            return anchors;
        }

        /** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen. */
        static String slug(String heading) {
            String text = heading.replaceAll("<[^>]+>", "").replace("`", "").toLowerCase(Locale.ROOT);
            return text.replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "").replace(' ', '-');
        }
    }
}
