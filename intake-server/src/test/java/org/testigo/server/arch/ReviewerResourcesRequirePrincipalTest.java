package org.testigo.server.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.testigo.server.review.ReviewerPrincipal;

/**
 * Issue 17: every resource method of the reviewer API reads the authenticated principal as its
 * first act ({@link ReviewerPrincipal#require}, directly or through the body helper that calls
 * it), so a request that got past the filters without one is a 500, never an anonymous answer.
 * Also: every resource class answering under {@code /api/v1/reviewer} lives in the reviewer
 * resources package, where this rule looks.
 */
class ReviewerResourcesRequirePrincipalTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.testigo.server");
  private static final Set<Class<? extends java.lang.annotation.Annotation>> HTTP_METHODS =
      Set.of(GET.class, POST.class, PUT.class, DELETE.class, PATCH.class, HEAD.class, OPTIONS.class);
  private static final String PACKAGE = "org.testigo.server.resources.reviewer";

  static boolean callsRequire(JavaMethod m) {
    for (JavaMethodCall call : m.getMethodCallsFromSelf()) {
      var target = call.getTarget();
      if (target.getOwner().isEquivalentTo(ReviewerPrincipal.class) && target.getName().equals("require")) {
        return true;
      }
      if (target.getOwner().getPackageName().equals(PACKAGE) && target.getName().equals("verified")) {
        return target.resolveMember().map(ReviewerResourcesRequirePrincipalTest::callsRequire).orElse(false);
      }
    }
    return false;
  }

  @Test
  void everyReviewerResourceMethod_requiresThePrincipal() {
    List<String> methods = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (JavaClass c : MAIN) {
      if (!c.getPackageName().equals(PACKAGE)) {
        continue;
      }
      for (JavaMethod m : c.getMethods()) {
        if (HTTP_METHODS.stream().anyMatch(m::isAnnotatedWith)) {
          methods.add(m.getFullName());
          if (!callsRequire(m)) {
            missing.add(m.getFullName());
          }
        }
      }
    }
    assertThat(methods).as("resource methods found").hasSizeGreaterThanOrEqualTo(12);
    assertThat(missing).as("reviewer resource methods that never read the principal").isEmpty();
  }

  @Test
  void everyResourceUnderTheReviewerPath_isInTheReviewerResourcesPackage() {
    List<String> outside = new ArrayList<>();
    for (JavaClass c : MAIN) {
      if (c.isAnnotatedWith(Path.class)) {
        String path = c.getAnnotationOfType(Path.class).value();
        if (path.replaceFirst("^/", "").startsWith("api/v1/reviewer") && !c.getPackageName().equals(PACKAGE)) {
          outside.add(c.getName());
        }
      }
    }
    assertThat(outside).isEmpty();
  }
}
