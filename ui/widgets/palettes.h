#pragma once
// The window's light and dark palettes (View > Palette), in one place: the window applies them and the view
// tests draw with exactly them.
#include <QPalette>

namespace levit::ui {

// Fusion's standard palette.
QPalette lightPalette();
// Fusion's palette in dark colours, disabled text and buttons set apart from enabled ones.
QPalette darkPalette();

}  // namespace levit::ui
