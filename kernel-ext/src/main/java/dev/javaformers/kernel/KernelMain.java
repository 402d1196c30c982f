package dev.javaformers.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/** The kernel process Jupyter starts: {@code java ... dev.javaformers.kernel.KernelMain CONNECTION_FILE}. */
public final class KernelMain {

    private KernelMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: KernelMain CONNECTION_FILE (Jupyter passes it; see scripts/install-kernel)");
            System.exit(2);
        }
        KernelConnectionProperties properties = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        JupyterConnection connection = new JupyterConnection(properties);
        JavaformersKernel kernel = JavaformersKernel.create();
        kernel.onStartup(); // the notebook statics (display, magics) and the extensions, ours included
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
    }
}
