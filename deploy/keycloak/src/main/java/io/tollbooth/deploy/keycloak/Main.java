package io.tollbooth.deploy.keycloak;

import java.nio.file.Path;

/**
 * Runs the local Keycloak server in the foreground: {@code <work dir> [port]} (a free port when omitted). Prints
 * the realm's URL and the master administrator's password of this run, then runs until stopped.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path workDir = Path.of(args.length > 0 ? args[0] : ".tollbooth/keycloak");
        int port = args.length > 1 ? Integer.parseInt(args[1]) : LocalKeycloak.freePort();
        try (LocalKeycloak keycloak = LocalKeycloak.start(workDir, port)) {
            System.out.println("Keycloak is up: realm " + keycloak.realmUrl() + ", admin console "
                    + keycloak.baseUrl() + "/admin (" + LocalKeycloak.MASTER_ADMIN + " / "
                    + keycloak.adminPassword() + ")");
            while (keycloak.isRunning()) {
                Thread.sleep(1000);
            }
        }
    }
}
