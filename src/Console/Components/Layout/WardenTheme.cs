using MudBlazor;

namespace Warden.Components.Layout;

public static class WardenTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f3a5f",
            Secondary = "#3c6e71",
            AppbarBackground = "#1f3a5f",
            Error = "#c62828",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8fb3e0",
            Secondary = "#84c5c8",
            AppbarBackground = "#16202e",
            Error = "#ef5350",
        },
    };
}
