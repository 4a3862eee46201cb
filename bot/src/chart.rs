//! The digest's chart: per grid, the petitions raised and the three rates, drawn with
//! plotters into a PNG. Chinese text needs a CJK font: `GRIDBOT_FONT` names one, otherwise
//! the standard paths of Debian's font packages are tried (`apt-get install
//! fonts-wqy-microhei`). Without one the digest goes out as text alone, and the log says why.

use gridbot_handlers::figures::ChartRow;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::OnceLock;

/// Where Debian's open-licence CJK fonts install themselves.
pub const FONT_PATHS: &[&str] = &[
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
];

#[derive(Debug, Clone, thiserror::Error)]
pub enum ChartError {
    #[error(
        "no Chinese font for the digest chart: install the Debian package fonts-wqy-microhei \
         (apt-get install fonts-wqy-microhei) or set GRIDBOT_FONT to a font file with Chinese \
         glyphs; looked for {0}"
    )]
    NoFont(String),
    #[error("{0} is not a font with Chinese glyphs")]
    BadFont(String),
    #[error("cannot draw the chart: {0}")]
    Draw(String),
}

const FAMILY: &str = "sans-serif";
const BLUE: RGBColor = RGBColor(66, 133, 244);
const RATES: [(&str, RGBColor); 3] = [
    ("及时响应率", RGBColor(15, 157, 88)),
    ("按时办结率", RGBColor(244, 160, 0)),
    ("满意率", RGBColor(171, 71, 188)),
];

/// Find, check and register the font once per process.
fn font() -> Result<(), ChartError> {
    static FONT: OnceLock<Result<(), ChartError>> = OnceLock::new();
    FONT.get_or_init(|| {
        let wanted = std::env::var("GRIDBOT_FONT").ok().filter(|p| !p.is_empty());
        let paths: Vec<String> = match &wanted {
            Some(p) => vec![p.clone()],
            None => FONT_PATHS.iter().map(|p| p.to_string()).collect(),
        };
        let Some((path, bytes)) = paths
            .iter()
            .find_map(|p| std::fs::read(p).ok().map(|b| (p.clone(), b)))
        else {
            return Err(ChartError::NoFont(paths.join(", ")));
        };
        let has_chinese = ab_glyph::FontRef::try_from_slice(&bytes)
            .map(|f| {
                "网格诉求率"
                    .chars()
                    .all(|c| ab_glyph::Font::glyph_id(&f, c).0 != 0)
            })
            .unwrap_or(false);
        if !has_chinese {
            return Err(ChartError::BadFont(path));
        }
        // plotters keeps fonts for the life of the process.
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        plotters::style::register_font(FAMILY, FontStyle::Normal, bytes)
            .map_err(|_| ChartError::BadFont(path.clone()))?;
        tracing::debug!(font = %path, "chart font loaded");
        Ok(())
    })
    .clone()
}

fn draw_err(e: impl std::fmt::Display) -> ChartError {
    ChartError::Draw(e.to_string())
}

/// The chart as PNG bytes: raised petitions on top, the three rates below, one group of
/// bars per grid in the order given.
pub fn render(title: &str, rows: &[ChartRow]) -> Result<Vec<u8>, ChartError> {
    font()?;
    let n = rows.len().max(1);
    let (w, h) = ((160 * n as u32 + 180).max(900), 720u32);
    let mut rgb = vec![255u8; (w * h * 3) as usize];
    {
        let full = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        full.fill(&WHITE).map_err(draw_err)?;
        let root = full
            .titled(title, (FAMILY, 30).into_font().color(&BLACK))
            .map_err(draw_err)?;
        let (upper, lower) = root.split_vertically(280);
        let label = TextStyle::from((FAMILY, 18).into_font());
        let names = |chart_x: &dyn Fn(f64) -> (i32, i32)| -> Result<(), ChartError> {
            for (i, r) in rows.iter().enumerate() {
                let (x, y) = chart_x(i as f64 + 0.5);
                // Backend coordinates: drawn on the whole picture, not below the title.
                full.draw(&Text::new(
                    r.label.clone(),
                    (x, y + 6),
                    label.clone().pos(Pos::new(HPos::Center, VPos::Top)),
                ))
                .map_err(draw_err)?;
            }
            Ok(())
        };

        let top = rows.iter().map(|r| r.raised).max().unwrap_or(0).max(1) as f64 * 1.25;
        let mut c = ChartBuilder::on(&upper)
            .caption("新增诉求 (件)", (FAMILY, 22))
            .margin(10)
            .x_label_area_size(36)
            .y_label_area_size(50)
            .build_cartesian_2d(0f64..n as f64, 0f64..top)
            .map_err(draw_err)?;
        c.configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE)
            .x_labels(0)
            .y_labels(5)
            .y_label_formatter(&|v| format!("{v:.0}"))
            .label_style((FAMILY, 16))
            .draw()
            .map_err(draw_err)?;
        for (i, r) in rows.iter().enumerate() {
            let x = i as f64;
            let v = r.raised as f64;
            c.draw_series([Rectangle::new(
                [(x + 0.3, 0.0), (x + 0.7, v)],
                BLUE.filled(),
            )])
            .map_err(draw_err)?;
            c.draw_series([Text::new(
                r.raised.to_string(),
                (x + 0.5, v),
                label.clone().pos(Pos::new(HPos::Center, VPos::Bottom)),
            )])
            .map_err(draw_err)?;
        }
        let to_px = |x: f64| c.backend_coord(&(x, 0.0));
        names(&to_px)?;

        let mut c = ChartBuilder::on(&lower)
            .caption("及时响应率、按时办结率、满意率 (%)", (FAMILY, 22))
            .margin(10)
            .x_label_area_size(36)
            .y_label_area_size(50)
            .build_cartesian_2d(0f64..n as f64, 0f64..140.0)
            .map_err(draw_err)?;
        c.configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE)
            .x_labels(0)
            .y_labels(8)
            .y_label_formatter(&|v| {
                if *v <= 100.0 {
                    format!("{v:.0}")
                } else {
                    String::new()
                }
            })
            .label_style((FAMILY, 16))
            .draw()
            .map_err(draw_err)?;
        let small = TextStyle::from((FAMILY, 14).into_font());
        for (k, (name, color)) in RATES.iter().enumerate() {
            let bars = rows.iter().enumerate().map(|(i, r)| {
                let v = [r.response_rate, r.resolution_rate, r.satisfaction_rate][k];
                let x = i as f64 + 0.15 + 0.23 * k as f64;
                (x, v)
            });
            let color = *color;
            c.draw_series(bars.clone().map(|(x, v)| {
                Rectangle::new([(x, 0.0), (x + 0.21, v.unwrap_or(0.0))], color.filled())
            }))
            .map_err(draw_err)?
            .label(*name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.filled()));
            c.draw_series(bars.map(|(x, v)| {
                let t = gridbot_handlers::text::figures::pct(v);
                Text::new(
                    t,
                    (x + 0.105, v.unwrap_or(0.0)),
                    small.clone().pos(Pos::new(HPos::Center, VPos::Bottom)),
                )
            }))
            .map_err(draw_err)?;
        }
        c.configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font((FAMILY, 16))
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()
            .map_err(draw_err)?;
        let to_px = |x: f64| c.backend_coord(&(x, 0.0));
        names(&to_px)?;
        full.present().map_err(draw_err)?;
    }
    encode(&rgb, w, h)
}

fn encode(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, ChartError> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().map_err(draw_err)?;
    writer.write_image_data(rgb).map_err(draw_err)?;
    writer.finish().map_err(draw_err)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, raised: u32, rates: [Option<f64>; 3]) -> ChartRow {
        ChartRow {
            label: label.into(),
            raised,
            response_rate: rates[0],
            resolution_rate: rates[1],
            satisfaction_rate: rates[2],
        }
    }

    #[test]
    fn the_chart_is_a_png_with_a_bar_per_grid() {
        let rows = [
            row("第一网格", 7, [Some(85.7), Some(80.0), Some(100.0)]),
            row("第二网格", 3, [Some(66.7), None, Some(50.0)]),
            row("第三网格", 0, [None, None, None]),
        ];
        let png = render("欣锦苑社区 2026年第48周 各网格诉求情况", &rows).expect("a chart");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let out = std::env::temp_dir().join("chart.png");
        std::fs::write(&out, &png).expect("write the chart for a look");
        // Decode it back: the raised bar of the first grid is blue somewhere.
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let mut reader = decoder.read_info().expect("a readable PNG");
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).expect("one frame");
        assert!(info.width >= 900 && info.height == 720);
        let blue = buf.chunks(3).filter(|p| p == &[66, 133, 244]).count();
        assert!(blue > 1000, "bars drawn: {blue} blue pixels");
    }
}
