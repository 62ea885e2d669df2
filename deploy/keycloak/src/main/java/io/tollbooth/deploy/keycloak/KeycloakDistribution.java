package io.tollbooth.deploy.keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The Keycloak server distribution, unpacked from the zip in the local Maven repository and built once for how
 * Tollbooth runs it, into a cache folder outside the repository shared by every checkout on the machine.
 *
 * <p>Building ({@code kc.sh build}) takes about half a minute and happens once per machine and version; every
 * start afterwards skips it. The cache folder is {@code ~/.cache/tollbooth/keycloak-<version>}, or
 * {@code <tollbooth.keycloak.cache>/keycloak-<version>} when that system property (or the environment variable
 * {@code TOLLBOOTH_KEYCLOAK_CACHE}) names another parent. Delete it to force a fresh unpack.
 */
public final class KeycloakDistribution {

    /** Build-time options of the cached distribution: an in-memory database, fresh at every start. */
    static final List<String> BUILD_OPTIONS = List.of("--db=dev-mem");

    private static final String BUILT_MARKER = ".tollbooth-built";
    private static final long BUILD_TIMEOUT_MINUTES = 5;
    private static final Pattern ZIP_NAME = Pattern.compile("keycloak-quarkus-dist-(.+)\\.zip");

    private KeycloakDistribution() {
    }

    /** The folder holding the built distribution, unpacking and building it first when needed. */
    public static Path cacheDir() {
        Path zip = zip();
        Path dir = cacheParent().resolve("keycloak-" + version(zip));
        if (!Files.exists(dir.resolve(BUILT_MARKER))) {
            prepareLocked(zip, dir);
        }
        return dir;
    }

    /**
     * A private copy of the built distribution in {@code target}, replacing whatever was there: files are hard
     * links into the cache where the file system allows (instant, no space), copies otherwise. The server writes
     * only below its own {@code data} folder, which is never shared.
     */
    static Path instanceCopy(Path target) throws IOException {
        Path source = cacheDir();
        deleteRecursively(target);
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : paths.toList()) {
                Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else if (!path.getFileName().toString().equals(BUILT_MARKER)) {
                    link(path, copy);
                }
            }
        }
        return target;
    }

    private static void link(Path source, Path copy) throws IOException {
        try {
            Files.createLink(copy, source);
        } catch (FileSystemException | UnsupportedOperationException e) {
            Files.copy(source, copy, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    /** Unpacks and builds under a file lock, so that two JVMs starting at once prepare it only once. */
    private static void prepareLocked(Path zip, Path dir) {
        try {
            Files.createDirectories(dir.getParent());
            Path lockFile = dir.resolveSibling(dir.getFileName() + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                if (!Files.exists(dir.resolve(BUILT_MARKER))) {
                    prepare(zip, dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Keycloak distribution in " + dir, e);
        }
    }

    private static void prepare(Path zip, Path dir) throws IOException {
        log("unpacking " + zip.getFileName() + " into " + dir + " and building it once (about half a minute)");
        Path staging = dir.resolveSibling(dir.getFileName() + ".staging");
        deleteRecursively(staging);
        deleteRecursively(dir);
        Path unpacked = unzip(zip, staging);
        build(unpacked);
        Files.writeString(unpacked.resolve(BUILT_MARKER), String.join(" ", BUILD_OPTIONS) + "\n");
        Files.move(unpacked, dir, StandardCopyOption.ATOMIC_MOVE);
        deleteRecursively(staging);
    }

    /** Unzips into {@code staging} and returns the distribution's own top folder ({@code keycloak-<version>}). */
    private static Path unzip(Path zip, Path staging) throws IOException {
        Path top = null;
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path target = staging.resolve(entry.getName()).normalize();
                if (!target.startsWith(staging)) {
                    throw new IOException("zip entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, target);
                }
                if (entry.getName().endsWith(".sh")) {
                    // Zip entries lose their Unix mode here; the launch scripts must stay executable.
                    target.toFile().setExecutable(true, false);
                }
                top = staging.resolve(staging.relativize(target).getName(0));
            }
        }
        if (top == null || !Files.isRegularFile(top.resolve("bin/kc.sh"))) {
            throw new IOException(zip + " holds no Keycloak distribution");
        }
        return top;
    }

    private static void build(Path home) throws IOException {
        List<String> command = Stream.concat(Stream.of(home.resolve("bin/kc.sh").toString(), "build"),
                BUILD_OPTIONS.stream()).toList();
        Path log = home.resolve("build.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        try {
            if (!process.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException("kc.sh build did not finish within " + BUILD_TIMEOUT_MINUTES + " minutes");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building Keycloak", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("kc.sh build failed with exit " + process.exitValue() + ":\n"
                    + Files.readString(log));
        }
    }

    /** The zip in the local Maven repository, as this module's build resolved it. */
    static Path zip() {
        try {
            String path = LocalKeycloak.resourceText("distribution.path");
            if (path == null || path.isEmpty()) {
                throw new IllegalStateException(
                        "distribution.path is missing: build the tollbooth-local-keycloak module");
            }
            Path zip = Path.of(path);
            if (!Files.isRegularFile(zip)) {
                throw new IllegalStateException(zip + " is missing: build the tollbooth-local-keycloak module "
                        + "online once so that Maven downloads it");
            }
            return zip;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String version(Path zip) {
        Matcher name = ZIP_NAME.matcher(zip.getFileName().toString());
        if (!name.matches()) {
            throw new IllegalStateException("not a Keycloak distribution: " + zip);
        }
        return name.group(1);
    }

    private static Path cacheParent() {
        String configured = System.getProperty("tollbooth.keycloak.cache", System.getenv("TOLLBOOTH_KEYCLOAK_CACHE"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "tollbooth");
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void log(String message) {
        System.out.println("[keycloak] " + message);
    }
}
