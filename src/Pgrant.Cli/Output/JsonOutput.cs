using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pgrant.Cli.Output;

/// <summary>
/// The one JSON setup for every command: snake_case keys, indented, non-ASCII role names written
/// as themselves (not \u escapes) so output matches what psql shows.
/// </summary>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Streams the document into <paramref name="writer"/>: `check --format json` at 100,000 tables writes
    /// ~120 MB, which as one string first was held twice over (UTF-16) before a byte reached the output.
    /// </summary>
    public static void Write<T>(TextWriter writer, T value)
    {
        using (var stream = new TextWriterStream(writer))
            JsonSerializer.Serialize(stream, value, Options);
        writer.WriteLine();
    }
}
