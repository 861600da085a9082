package io.dockevos.itests.guard;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Fails the build unless the OSGi tests really ran.
 *
 * <p>bnd-testing-maven-plugin reports success when the tester finds no tests at all (a mismatch
 * of bnd and JUnit versions does that silently, see shared/TOOLCHAIN.md), and it prints no
 * counts. This reads the JUnit XML reports it wrote, prints one closing line such as
 * {@code dockevos-itests: 25 passed, 0 failed, 0 skipped}, and throws when no test ran or one
 * failed. Maven runs it with exec:java after bnd-testing.
 *
 * <p>Arguments: the reports directory, then the values of skipTests and maven.test.skip.
 */
public final class TestReportGuard {
  private TestReportGuard() {}

  /** The totals over every report. */
  record Counts(int reports, int tests, int failures, int errors, int skipped) {
    int passed() {
      return tests - failures - errors - skipped;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 1 && "true".equals(args[1]) || args.length > 2 && "true".equals(args[2])) {
      System.out.println("dockevos-itests: tests skipped");
      return;
    }
    Path dir = Path.of(args[0]);
    Counts counts = count(dir);
    System.out.printf("dockevos-itests: %d passed, %d failed, %d skipped%n",
        counts.passed(), counts.failures() + counts.errors(), counts.skipped());
    if (counts.reports() == 0) {
      throw new IllegalStateException("no TEST-*.xml report in " + dir + ": the OSGi tests did not run");
    }
    if (counts.tests() == 0) {
      throw new IllegalStateException("the OSGi tests ran 0 tests (reports in " + dir
          + "); check the tester and JUnit versions, see shared/TOOLCHAIN.md");
    }
    if (counts.failures() + counts.errors() > 0) {
      throw new IllegalStateException((counts.failures() + counts.errors()) + " OSGi tests failed; see " + dir);
    }
  }

  static Counts count(Path dir) throws Exception {
    List<Path> reports = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "TEST-*.xml")) {
        files.forEach(reports::add);
      }
    }
    int tests = 0;
    int failures = 0;
    int errors = 0;
    int skipped = 0;
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    for (Path report : reports) {
      Element root = parse(factory, report);
      List<Element> suites = new ArrayList<>();
      if (root.getTagName().equals("testsuite")) {
        suites.add(root);
      } else {
        NodeList list = root.getElementsByTagName("testsuite");
        for (int i = 0; i < list.getLength(); i++) {
          suites.add((Element) list.item(i));
        }
      }
      for (Element suite : suites) {
        tests += number(suite, "tests");
        failures += number(suite, "failures");
        errors += number(suite, "errors");
        skipped += number(suite, "skipped");
      }
    }
    return new Counts(reports.size(), tests, failures, errors, skipped);
  }

  private static Element parse(DocumentBuilderFactory factory, Path report) throws Exception {
    try {
      return factory.newDocumentBuilder().parse(report.toFile()).getDocumentElement();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + report, e);
    }
  }

  private static int number(Element suite, String attribute) {
    String value = suite.getAttribute(attribute);
    return value.isEmpty() ? 0 : Integer.parseInt(value.trim());
  }
}
