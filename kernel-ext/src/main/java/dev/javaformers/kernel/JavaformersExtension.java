package dev.javaformers.kernel;

import dev.javaformers.data.Dataset;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.pipelines.PipelineOutput;
import dev.javaformers.tokenize.BatchEncoding;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

/**
 * Renderers and magics for Javaformers objects. Our kernel installs it at startup; a stock JJava kernel loads it
 * through the {@code org.dflib.jjava.jupyter.Extension} service file on its class path.
 */
public final class JavaformersExtension implements Extension {

    /** The {@code %%groovy} cells of a stock kernel (ours has its own, with Java variables shared). */
    private GroovyCells groovy;

    @Override
    public void install(BaseKernel kernel) {
        Renderer r = kernel.getRenderer();
        r.createRegistration(Chart.class).preferring("image/png").supporting("image/svg+xml", "text/plain")
                .register((chart, ctx) -> {
                    ctx.renderIfRequested(MIMEType.IMAGE_PNG,
                            () -> png(chart));
                    ctx.renderIfRequested(MIMEType.IMAGE_SVG,
                            () -> svg(chart));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN,
                            () -> chart.getTitle());
                });
        asHtml(r, Table.class, t -> Html.table(t, 20), t -> t.print(20));
        asHtml(r, Dataset.class, d -> Html.dataset(d, 10), Dataset::toString);
        asHtml(r, PreTrainedModel.class, Html::model, PreTrainedModel::toString);
        asHtml(r, BatchEncoding.class, Html::encoding, BatchEncoding::toString);
        asHtml(r, PipelineOutput.class, o -> Html.table(o.table(), 20), PipelineOutput::toString);
        asHtml(r, PipelineOutput.Record.class, o -> Html.table(o.table(), 20), PipelineOutput.Record::toString);
        kernel.getMagicsRegistry().registerCellMagic("groovy", (k, args, body) -> groovyCells(k).evaluate(body));
    }

    @Override
    public void uninstall(BaseKernel kernel) {
        if (groovy != null) {
            groovy.close();
        }
    }

    /** Renders {@code type} as HTML, with a plain-text form for front ends without HTML. */
    private static <T> void asHtml(Renderer r, Class<T> type, java.util.function.Function<T, String> html,
            java.util.function.Function<T, String> text) {
        r.createRegistration(type).preferring("text/html").supporting("text/plain").register((value, ctx) -> {
            ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> html.apply(value));
            ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> text.apply(value));
        });
    }

    private synchronized GroovyCells groovyCells(BaseKernel kernel) {
        if (kernel instanceof JavaformersKernel ours) {
            return ours.groovyCells();
        }
        if (groovy == null) {
            groovy = new GroovyCells(new NotebookFrontend(kernel), null);
        }
        return groovy;
    }

    static String png(Chart<?, ?> chart) {
        try {
            BufferedImage image = BitmapEncoder.getBufferedImage(chart);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            javax.imageio.ImageIO.write(image, "png", bytes);
            return Base64.getEncoder().encodeToString(bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String svg(Chart<?, ?> chart) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, bytes, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
