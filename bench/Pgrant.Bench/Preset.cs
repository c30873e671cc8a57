namespace Pgrant.Bench;

/// <summary>
/// A benchmark catalog size: schemas × tables per schema (each table has a serial id, so as many
/// sequences), views and functions per schema, total roles, and planted gaps per rule.
/// </summary>
public sealed record Preset(string Name, int Schemas, int TablesPerSchema, int Roles, int PlantsPerRule,
    int ViewsPerSchema = 2, int FunctionsPerSchema = 2, int Seed = 20240604)
{
    public int Tables => Schemas * TablesPerSchema;

    public static Preset Parse(string name) => name switch
    {
        "tiny" => new Preset("tiny", 8, 10, 40, 2),
        "small" => new Preset("small", 20, 50, 50, 3),
        "medium" => new Preset("medium", 100, 100, 200, 5),
        "large" => new Preset("large", 500, 200, 500, 10),
        _ => throw new ArgumentException($"unknown preset '{name}' (tiny, small, medium, large)"),
    };
}
