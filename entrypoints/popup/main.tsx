import { render } from 'preact';
import { PopupApp } from '@/components/popup/Popup';
import '@/components/ui/ui.css';
import '@/components/popup/popup.css';

render(<PopupApp />, document.getElementById('app')!);
