package io.anymq;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import org.junit.jupiter.api.Test;

import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every public type and every public or protected member of a public type in {@code io.anymq} and
 * {@code io.anymq.spi} has a Javadoc comment. (The Javadoc build itself runs doclint on every
 * module and fails on broken references and bad HTML; it does not insist on a tag per parameter.)
 * Members marked {@code @Override} inherit the overridden comment; a record's components are
 * documented by its {@code @param} tags. Parses the sources only (no compilation): fast.
 */
class PublicApiDocumentedTest {

    @Test
    void everyPublicTypeAndMemberOfTheApiAndTheSpiHasAComment() throws IOException {
        List<Path> sources;
        try (Stream<Path> api = Files.list(Path.of("src/main/java/io/anymq"));
             Stream<Path> spi = Files.list(Path.of("src/main/java/io/anymq/spi"))) {
            sources = Stream.concat(api, spi).filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.getFileName().toString().equals("package-info.java")).sorted().collect(Collectors.toList());
        }
        assertThat(sources).hasSizeGreaterThan(50);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> undocumented = new ArrayList<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            JavacTask task = (JavacTask) javac.getTask(null, files, null, List.of("-proc:none"), null,
                    files.getJavaFileObjectsFromPaths(sources));
            DocTrees docs = DocTrees.instance(task);
            for (CompilationUnitTree unit : task.parse()) {
                for (Tree t : unit.getTypeDecls()) {
                    if (t instanceof ClassTree c) {
                        check(new TreePath(new TreePath(unit), c), c, unit.getPackageName() + ".", docs, undocumented);
                    }
                }
            }
        }
        assertThat(undocumented).as("public API without a Javadoc comment").isEmpty();
    }

    /** The missing comments of a public type and its visible members, recursively. */
    private static void check(TreePath path, ClassTree type, String prefix, DocTrees docs, List<String> undocumented) {
        String name = prefix + type.getSimpleName();
        boolean isInterface = type.getKind() == Tree.Kind.INTERFACE || type.getKind() == Tree.Kind.ANNOTATION_TYPE;
        Set<String> components = type.getKind() == Tree.Kind.RECORD
                ? type.getMembers().stream().filter(m -> m instanceof VariableTree v
                        && !v.getModifiers().getFlags().contains(Modifier.STATIC))
                    .map(m -> ((VariableTree) m).getName().toString()).collect(Collectors.toSet())
                : Set.of();
        if (docs.getDocCommentTree(path) == null) {
            undocumented.add(name);
        }
        for (Tree member : type.getMembers()) {
            TreePath memberPath = new TreePath(path, member);
            if (member instanceof ClassTree nested) {
                if (visible(nested.getModifiers(), isInterface)) {
                    check(memberPath, nested, name + ".", docs, undocumented);
                }
            } else if (member instanceof MethodTree m) {
                String n = m.getName().contentEquals("<init>") ? type.getSimpleName().toString() : m.getName().toString();
                boolean overrides = m.getModifiers().getAnnotations().stream()
                        .anyMatch(a -> a.getAnnotationType().toString().equals("Override"));
                boolean accessor = components.contains(n) && m.getParameters().isEmpty();
                if (visible(m.getModifiers(), isInterface) && !overrides && !accessor && docs.getDocCommentTree(memberPath) == null) {
                    undocumented.add(name + "." + n + "(" + m.getParameters().size() + " parameters)");
                }
            } else if (member instanceof VariableTree v) {
                boolean component = components.contains(v.getName().toString())
                        && !v.getModifiers().getFlags().contains(Modifier.STATIC);
                boolean enumConstant = type.getKind() == Tree.Kind.ENUM && v.getModifiers().getFlags().isEmpty()
                        && v.getType() == null;
                if ((enumConstant || visible(v.getModifiers(), isInterface)) && !component
                        && docs.getDocCommentTree(memberPath) == null) {
                    undocumented.add(name + "." + v.getName());
                }
            }
        }
    }

    private static boolean visible(ModifiersTree modifiers, boolean inInterface) {
        Set<Modifier> flags = modifiers.getFlags();
        return flags.contains(Modifier.PUBLIC) || flags.contains(Modifier.PROTECTED)
                || (inInterface && !flags.contains(Modifier.PRIVATE));
    }
}
