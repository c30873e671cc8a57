namespace Pgrant.Spec.Tests;

internal static class SpecFiles
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Specs");

    public static string Read(string name) => File.ReadAllText(Path.Combine(Folder, name));

    /// <summary>Every example spec the tests ship, with docs/spec-example.yaml.</summary>
    public static IEnumerable<string> All => Directory.GetFiles(Folder, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;
}
