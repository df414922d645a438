using CloudNative.CloudEvents;
using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Contracts.Tests.Eventing;

public sealed class PrivateAttributesTests
{
    private static CloudEvent Event(params (string Name, string Value)[] extensions)
    {
        var ce = new CloudEvent { Id = "1", Source = new Uri("/s", UriKind.Relative), Type = "t", Data = "d", DataContentType = "text/plain" };
        foreach (var (name, value) in extensions)
        {
            ce[name] = value;
        }

        return ce;
    }

    [Fact]
    public void WithoutPrivate_is_the_event_itself_without_private_extensions_else_a_copy_and_the_original_is_left_alone()
    {
        var plain = Event(("myext", "v"));
        Assert.Same(plain, PrivateAttributes.WithoutPrivate(plain));

        var marked = Event(("myext", "v"), (PrivateAttributes.SpecVersion, "0.3"), (PrivateAttributes.Headers, "{}"));
        var copy = PrivateAttributes.WithoutPrivate(marked);
        Assert.NotSame(marked, copy);
        Assert.Equal(["datacontenttype", "id", "myext", "source", "type"],
            copy.GetPopulatedAttributes().Select(a => a.Key.Name).Order(StringComparer.Ordinal));
        Assert.Equal(("1", "v", "d"), (copy.Id, (string?)copy["myext"], (string?)copy.Data));
        Assert.Equal("0.3", marked[PrivateAttributes.SpecVersion]);
        Assert.Equal("{}", marked[PrivateAttributes.Headers]);
    }

    [Fact]
    public void Strip_removes_every_private_extension_in_place_and_keeps_the_rest()
    {
        var ce = Event(("myext", "v"), (PrivateAttributes.SpecVersion, "0.3"), (PrivateAttributes.Prefix + "other", "x"));
        PrivateAttributes.Strip(ce);
        Assert.DoesNotContain(ce.GetPopulatedAttributes(), a => PrivateAttributes.IsPrivate(a.Key.Name));
        Assert.Equal("v", ce["myext"]);

        var plain = Event(("myext", "v"));
        PrivateAttributes.Strip(plain);
        Assert.Equal(5, plain.GetPopulatedAttributes().Count());
    }
}
