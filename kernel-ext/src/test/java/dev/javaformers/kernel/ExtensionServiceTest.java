package dev.javaformers.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.javaformers.chart.Charts;
import dev.javaformers.data.Datasets;
import java.util.List;
import java.util.ServiceLoader;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.junit.jupiter.api.Test;

/** Another JJava kernel (not ours) finds the extension as a service and gets its renderers and magics. */
class ExtensionServiceTest {

    /** The least a JJava kernel is: it evaluates nothing itself. */
    static final class OtherKernel extends BaseKernel {
        OtherKernel(Builder b, MagicParser parser) {
            super("other", "1", new org.dflib.jjava.jupyter.kernel.LanguageInfo.Builder("other").build(), List.of(),
                    b.history(), b.io(), b.comms(), b.renderer(), parser, b.magics(), true, b.styler());
        }

        @Override
        public Object evalRaw(String expr) {
            return null;
        }

        @Override
        public DisplayData inspect(String code, int at, boolean extra) {
            return null;
        }

        @Override
        public ReplacementOptions complete(String code, int at) {
            return null;
        }

        @Override
        public String isComplete(String code) {
            return IS_COMPLETE_YES;
        }

        @Override
        public void installExtensions(ClassLoader loader) {
            super.installExtensions(loader);
        }
    }

    static final class Builder extends BaseKernelBuilder<Builder, OtherKernel> {
        @Override
        public OtherKernel build() {
            return new OtherKernel(this, new MagicParser("(?<=(?:^|=))\\s*%", "%%", buildMagicTranspiler()));
        }

        org.dflib.jjava.jupyter.kernel.history.HistoryManager history() {
            return buildHistoryManager();
        }

        org.dflib.jjava.jupyter.kernel.JupyterIO io() {
            return buildJupyterIO(buildJupyterIOEncoding());
        }

        org.dflib.jjava.jupyter.kernel.comm.CommManager comms() {
            return buildCommManager();
        }

        org.dflib.jjava.jupyter.kernel.display.Renderer renderer() {
            return buildRenderer();
        }

        org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry magics() {
            return buildMagicsRegistry();
        }

        org.dflib.jjava.jupyter.kernel.util.StringStyler styler() {
            return buildErrorStyler();
        }
    }

    @Test
    void aStockKernelLoadsTheRenderersAndMagics() throws Exception {
        assertTrue(ServiceLoader.load(Extension.class).stream().anyMatch(p -> p.type() == JavaformersExtension.class),
                "listed in META-INF/services");
        OtherKernel kernel = new Builder().build();
        kernel.installExtensions(getClass().getClassLoader());

        var data = Datasets.builtin("sentiment-sentences");
        DisplayData table = kernel.getRenderer().render(data);
        assertTrue(table.hasDataForType(MIMEType.TEXT_HTML)
                && table.getData(MIMEType.TEXT_HTML).toString().contains("3000 rows"), table.toString());
        DisplayData chart = kernel.getRenderer().render(Charts.labelDistribution(data, "label"));
        assertTrue(chart.getData(MIMEType.IMAGE_PNG).toString().length() > 1000);
        DisplayData svg = kernel.getRenderer().renderAs(Charts.labelDistribution(data, "label"), "image/svg+xml");
        assertTrue(svg.getData(MIMEType.IMAGE_SVG).toString().contains("<svg"), "SVG on request");

        assertTrue(kernel.getMagicsRegistry().getCellMagicNames().contains("groovy"));
        Object value = kernel.getMagicsRegistry().evalCellMagic(kernel, "groovy", List.of(), "def x = 20\nx * 2 + 2");
        assertEquals(42, value);
    }
}
