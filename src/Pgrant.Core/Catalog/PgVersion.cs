namespace Pgrant.Core.Catalog;

/// <summary>A server version as server_version_num (e.g. 150018 = 15.18).</summary>
public readonly record struct PgVersion(int Number)
{
    public int Major => Number / 10000;
    public int Minor => Number % 10000;
    public bool AtLeast(int major) => Major >= major;
    public override string ToString() => $"{Major}.{Minor}";
}
