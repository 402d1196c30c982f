package dev.javaformers.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * The kernel process Jupyter starts: {@code java ... dev.javaformers.kernel.KernelMain CONNECTION_FILE}; with
 * {@code --install}, installs its kernelspec ({@link KernelInstaller}).
 */
public final class KernelMain {

    private KernelMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--install")) {
            KernelInstaller.main(java.util.List.of(args).subList(1, args.length));
            return;
        }
        if (args.length != 1) {
            System.err.println("usage: KernelMain CONNECTION_FILE (Jupyter passes it), or KernelMain --install "
                    + "[--user | --prefix DIR | --sys-prefix]");
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
