namespace Pgrant.Core.Tests;

/// <summary>Reads a file from tests/Pgrant.Core.Tests/Fixtures (copied next to the test assembly).</summary>
internal static class Fixture
{
    public static string Read(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}
