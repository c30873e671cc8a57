using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pgrant.Spec.Tests;

/// <summary>YAML → JSON as YAML 1.2's core schema types scalars (what an editor's YAML language server does).</summary>
internal static class YamlJson
{
    public static JsonNode? Convert(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? null : Node(stream.Documents[0].RootNode);
    }

    private static JsonNode? Node(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", Node(c.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(Node)]),
        YamlScalarNode s => Scalar(s),
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };

    private static JsonNode? Scalar(YamlScalarNode s)
    {
        var v = s.Value ?? "";
        return SpecLoader.TypeOf(s) switch
        {
            "null" => null,
            "boolean" => JsonValue.Create(v[0] is 't' or 'T'),
            "integer" => JsonValue.Create(decimal.Parse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
            "number" => JsonValue.Create(double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(v),
        };
    }
}
