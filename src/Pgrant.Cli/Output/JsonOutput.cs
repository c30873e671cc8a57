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

    public static void Write<T>(TextWriter writer, T value)
    {
        writer.Write(JsonSerializer.Serialize(value, Options));
        writer.WriteLine();
    }
}
