package org.tmigrlab.console.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/**
 * One chart per metric: the first sweep axis along x, one series per combination of the other
 * axes (and model), the mean as the point and the 95% CI half-width as the error bar.
 *
 * <p>A category axis even for numbers: sweep values are usually doublings (2, 4, 8, 16 children;
 * 64, 256 CPUs), which a linear axis crowds into one corner and xchart's log axis labels only
 * by decades. Numbers get lines between points, names (models, builders) get bars.
 *
 * <p>Charts are a convenience; the CSV holds every number. They are not promised to be
 * byte-identical across JVMs (font rendering differs), the CSV and JSON are.
 */
public final class Charts {

    public enum Format {
        PNG, SVG;

        public String extension() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One line (or bar group) of a chart: y and error per x position; NaN where there is no value. */
    public record Series(String name, double[] mean, double[] half) {
    }

    private Charts() {
    }

    /** Charts render off-screen; without this a JVM on a machine without a display would fail. */
    static void headless() {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    /**
     * Writes {@code file} (extension included).
     *
     * @param numericX whether the x labels are numbers (lines) or names (bars)
     */
    public static void write(Path file, Format format, String title, String xTitle, String yTitle,
                             List<String> x, boolean numericX, List<Series> series) throws IOException {
        headless();
        CategoryChart chart = new CategoryChartBuilder().width(900).height(560).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).theme(Styler.ChartTheme.XChart).build();
        CategoryStyler st = chart.getStyler();
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setLegendVisible(series.size() > 1 || !series.get(0).name().isEmpty());
        st.setDefaultSeriesRenderStyle(numericX ? CategorySeries.CategorySeriesRenderStyle.Line
                : CategorySeries.CategorySeriesRenderStyle.Bar);
        st.setErrorBarsColorSeriesColor(true);
        // Lines of different series share the category positions instead of being shifted side by side like bars.
        st.setOverlapped(numericX);
        st.setYAxisDecimalPattern("#,##0.###");
        for (Series s : series) {
            List<Double> ys = new ArrayList<>();
            List<Double> es = new ArrayList<>();
            for (int i = 0; i < x.size(); i++) {
                // xchart cannot draw NaN; a cell without a value (no such metric there) is drawn as 0 with no bar.
                double y = s.mean()[i];
                double e = s.half()[i];
                ys.add(Double.isNaN(y) ? 0 : y);
                es.add(Double.isNaN(e) || Double.isNaN(y) ? 0 : e);
            }
            chart.addSeries(s.name().isEmpty() ? yTitle : s.name(), x, ys, es);
        }
        String name = file.toString();
        if (format == Format.PNG) BitmapEncoder.saveBitmap(chart, name, BitmapEncoder.BitmapFormat.PNG);
        else VectorGraphicsEncoder.saveVectorGraphic(chart, name, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }

    /** A metric name as a file name: letters, digits, dot, dash and underscore only. */
    public static String fileName(String metric) {
        return metric.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
